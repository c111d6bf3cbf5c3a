#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 300
#
# Our packets' transmit timestamps: T1 of a sample is when the packet left
# (the driver's stamp, from the socket's error queue), not the time written
# into it before it was sent. Each request waits 20 ms in the sending
# host's own queue (netem on its egress, before the driver):
#
#   a  kntp client (virtual clock)  --[20 ms queue]-->  b  kntp, master 1
#   c  kntp peer                    --[20 ms queue]-->  d  kntp peer, master 1
#
# All four clocks are the guest's one system clock. With the written time
# as T1, a would measure a delay of 20 ms more and an offset of +10 ms
# (the wait taken for a path asymmetry); with the driver's stamp, the
# offset is within a millisecond. d, in turn, reads c's transmit
# timestamp from c's packets, written before the queue: its offset is off
# by about 10 ms. Only interleaved mode carries a stamp taken after the
# packet left to the other side; this test shows why.
set -u
. "$(dirname "$0")/lib.sh"
need tc jq

QUEUE_MS=20
cleanup() { for ns in a b c d; do ip netns del "$ns" 2>/dev/null; done; }
trap cleanup EXIT

kn() { local ns=$1; shift; ip netns exec "$ns" "$KNTP" "$@"; }
aj() { assoc_json "$@"; }
abs_ms_below() { awk -v x="$1" -v m="$2" 'BEGIN { x /= 1e6; if (x < 0) x = -x; exit !(x != "" && x < m) }'; }

check "insmod kntp.ko" load_module
modprobe -q sch_netem || true
netns_pair a 192.0.2.1 2001:db8:1::1 b 192.0.2.2 2001:db8:1::2
netns_pair c 198.51.100.1 2001:db8:2::1 d 198.51.100.2 2001:db8:2::2
check "a and c queue what they send for $QUEUE_MS ms (netem)" \
	eval "tc -n a qdisc add dev a-b root netem delay ${QUEUE_MS}ms &&
	      tc -n c qdisc add dev c-d root netem delay ${QUEUE_MS}ms"
check "b: master 1; a: server b, 1 s polls" \
	eval 'kn b master 1 && kn a server 192.0.2.2 minpoll 0 maxpoll 0 iburst'
check "d: master 1, peer c; c: peer d, 1 s polls" \
	eval 'kn d master 1 && kn d peer 198.51.100.1 minpoll 0 maxpoll 0 &&
	      kn c peer 198.51.100.2 minpoll 0 maxpoll 0'

check "a has 8 samples of b" wait_for 60 eval '[ "$(counter a samples 192.0.2.2)" -ge 8 ]'
samples=$(counter a samples 192.0.2.2) stamped=$(counter a sample_tx_stamp 192.0.2.2)
echo "# a -> b: $samples samples, $stamped with the driver's T1"
# All but a stamp that came late (none is expected: the stack queues it
# when the packet leaves, before the answer can come).
check "every sample of a uses the driver's T1 ($stamped of $samples)" \
	eval '[ "$stamped" -ge $((samples - 1)) ] && [ "$stamped" -gt 0 ]'
# Read when the last request's stamp is in (it comes 20 ms after the
# request was written, and is collected with the answer).
stamp_in() {
	left=$(aj a 192.0.2.2 '.tx_stamp_unix_ns - .xmt_unix_ns')
	[ "$left" -ge 0 ]
}
wait_for 10 stamp_in
echo "# a's last request: driver's stamp - written time = $left ns"
check "the driver stamped a's request after the $QUEUE_MS ms queue ($left ns)" \
	awk -v d="$left" -v q="$QUEUE_MS" 'BEGIN { exit !(d >= (q - 1) * 1e6 && d < (q + 30) * 1e6) }'
off=$(aj a 192.0.2.2 '.offset_ns') del=$(aj a 192.0.2.2 '.delay_ns')
echo "# a -> b: offset $off ns, delay $del ns"
check "a's offset to b is within 1 ms, not +$((QUEUE_MS / 2)) ms ($off ns)" abs_ms_below "$off" 1
check "a's delay leaves out the queue: under $((QUEUE_MS / 4)) ms ($del ns)" \
	abs_ms_below "$del" $((QUEUE_MS / 4))

check "c has 8 samples of d" wait_for 60 eval '[ "$(counter c samples 198.51.100.2)" -ge 8 ]'
check "c's samples use the driver's T1" \
	eval '[ "$(counter c sample_tx_stamp 198.51.100.2)" -gt 0 ]'
off=$(aj c 198.51.100.2 '.offset_ns')
echo "# c -> d: offset $off ns"
check "c's offset to d is within 1 ms ($off ns)" abs_ms_below "$off" 1
# d (stratum 1) samples c only once c has synchronised to it: that may be
# after c's eighth sample of d, so wait for one.
wait_for 30 eval '[ "$(counter d samples 198.51.100.1)" -ge 1 ]'
off=$(aj d 198.51.100.1 '.offset_ns')
echo "# d -> c: offset $off ns (c's transmit timestamps were written before the queue)"
check "d's offset to c shows c's queue: about -$((QUEUE_MS / 2)) ms ($off ns)" \
	awk -v o="$off" -v q="$QUEUE_MS" 'BEGIN { o /= 1e6; exit !(o != "" && o < -q / 2 + 3 && o > -q / 2 - 3) }'
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
