#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# vm-timeout: 240
#
# Interleaved mode (RFC 9769, "xleave") against an off-path attacker who
# knows nothing but the addresses (and a client's port): the mode is
# configured, never taken from a packet, so no spoofed packet can switch
# an association between basic and interleaved (CVE-2016-1548, ntpd), nor
# make a basic peer report a one-sided configuration. For 30 s, m sends 10
# packets a second to each of three targets at once:
#
# 1. b, from a's address (mode 1, port 123 to 123), a and b being xleave
#    peers: in turn interleaved-looking packets (origin random, its lowest
#    fraction bit 1; receive random), basic-looking ones (origin random,
#    that bit 0) and guesses (origin now less up to 2 s).
# 2. d, from c's address, c and d being basic peers: interleaved-looking
#    packets. Only an origin equal to the receive timestamp d sent (unknown
#    off the path) makes d report "xleave_peer_only".
# 3. f, an xleave client of s, from s's address (mode 4, port 123 to f's
#    own port): the three kinds in turn.
#
#   a: master 3,   b: master 3,   c: master 3,   d: master 3,  s: master 1
#   peer b xleave  peer a xleave  peer d         peer c
#   192.0.2.1      192.0.2.2      192.0.2.3      192.0.2.4     192.0.2.5
#
#   f: server s xleave   m: the attacker (sends as 192.0.2.1, .3, .5)
#   192.0.2.6            192.0.2.66
#        all on br0, a bridge in namespace sw; every poll 1 s
#
# What must hold: every spoof reaches its target's association and is
# dropped there as bogus (or a duplicate); the xleave associations keep
# getting interleaved samples at nearly the poll rate; no state word of a
# one-sided configuration shows on any association during the attack (read
# as often as the guest manages), the kernel logs none (it notes each as
# it is set) and no drop_xleave_peer is counted. Last, a control: c
# configured for xleave alone, the same readings and the log show both
# words within seconds.
#
# How this fails on a kernel that took the mode from packets (both halves
# measured: kmod/core/peer.c changed to do so after ntp_packet_tests()):
# - one that goes basic on a bogus basic-looking packet (p->xleave =
#   false): b and f fall back and send basic packets: interleaved samples
#   in 30 s: a 0, b 0, f 0 (bound 20); b, getting a's interleaved packets
#   while basic, shows xleave_peer_only (16 readings of 16), counts
#   drop_xleave_peer and the kernel logs it: 5 checks fail;
# - one that goes interleaved on a bogus interleaved-looking packet
#   (origin marked, receive not transmit; p->xleave = true): d sends in
#   interleaved form to c, not configured for it: c shows xleave_peer_only
#   and counts drop_xleave_peer (+4), d shows xleave_unanswered (16 of 16),
#   the kernel logs both, and the control fails (d is interleaved
#   already): 5 checks fail;
# - one that takes a spoofed packet for an answer: b's, d's or f's drops
#   fall short of what m sent.
# ntpd's switch (a packet whose origin is the receive timestamp we sent
# goes interleaved, CVE-2016-1548) needs that timestamp, unknown off the
# path: no off-path attack tells it from the configured mode; an on-path
# one could use it, which is why the mode is configured.
set -u
. "$(dirname "$0")/lib.sh"
need python3

PKTPY=$(dirname "$0")/ntp_auth_pkt.py
A=192.0.2.1 B=192.0.2.2 C=192.0.2.3 D=192.0.2.4 S=192.0.2.5 F=192.0.2.6
M=192.0.2.66
SPOOF_S=30	# seconds of attack
SPOOF_RATE=10	# spoofed packets a second, to each target
# Samples (interleaved for xleave associations) each association must get
# in a window of W seconds of attack (all three spoofers running): 2/3 W.
# Each side polls once a second, and every packet that answers the other
# side's last one is a sample, interleaved once an exchange runs: about W.
# Lost: an exchange whose packets cross (both sides send before the
# other's packet arrives; the peers keep half an interval apart, so rare),
# and in interleaved mode one sample more (the packet after a crossing
# goes out basic). The attack adds to a crossing at most that the packet
# after it echoes a spoof's transmit timestamp (bogus to the other side),
# which costs the same exchange. W/3 allows 3 such losses in 30 s or more
# (measured: none); a kernel switched to basic by the basic-looking spoofs
# (about 5 a second, several between any two polls) would get almost none.
ASSOCS="a:$B b:$A c:$D d:$C f:$S"	# namespace:address of each association
COUNTERS="rx tx samples sample_interleaved drop_bogus drop_dup drop_xleave_peer"
WORDS="xleave_unanswered|xleave_peer_only"

T=$(mktemp -d /tmp/kntp-xlspoof.XXXXXX)
cleanup() {
	local ns
	for ns in a b c d s f m sw; do ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT

# kn NS ARGS...: the tool in NS (nsenter: lighter than "ip netns exec",
# which the tool does not need; every program costs in the guest).
kn() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$KNTP" "$@"; }

topology() {
	bridge_up &&
		bridge_port a $A && bridge_port b $B && bridge_port c $C && bridge_port d $D &&
		bridge_port s $S && bridge_port f $F && bridge_port m $M
}

# snap ARRAY: the counters of every association into the associative
# array ARRAY, as ARRAY[NS_NAME] (0 for a counter not shown).
# shellcheck disable=SC2034 # arr: a name reference to the caller's array
snap() {
	local -n arr=$1
	local x c v
	for x in $ASSOCS; do
		for c in $COUNTERS; do arr[${x%%:*}_$c]=0; done
	done
	for v in $(for x in $ASSOCS; do
		kn "${x%%:*}" show counters "${x#*:}" |
			awk -v ns="${x%%:*}" -v want=" $COUNTERS " \
				'index(want, " " $1 " ") { print ns "_" $1 "=" $2 }'
		done); do
		arr[${v%=*}]=${v#*=}
	done
}

# diff_of OUT FROM TO: OUT[k] = TO[k] - FROM[k] for every counter.
# shellcheck disable=SC2034,SC2004 # the caller's arrays; $k is a key
diff_of() {
	local -n out=$1 from=$2 to=$3
	local k
	for k in "${!to[@]}"; do out[$k]=$((to[$k] - from[$k])); done
}

now_us() { echo "${EPOCHREALTIME/./}"; }

# states: one reading of every association's state, a line "NS WORD" for
# each one-sided configuration word it shows (none: no line). As few
# programs as can be (each costs a tenth of a second in the guest), so that
# the readings come often.
states() {
	local x
	for x in $ASSOCS; do
		echo "@${x%%:*}"
		kn "${x%%:*}" -j show associations detail
	done | awk -v w="$WORDS" '/^@/ { ns = substr($0, 2); next }
		{ s = $0; while (match(s, w)) { print ns, substr(s, RSTART, RLENGTH);
			s = substr(s, RSTART + RLENGTH) } }'
}

# one_sided_log: the kernel's notes of a one-sided configuration found
# (kmod/proto.c: one as each state word is set), "ADDR what" lines.
one_sided_log() {
	dmesg | grep -Eo "kntp: [0-9.]+ (answers in basic mode only|sends interleaved packets)" |
		sed 's/^kntp: //'
}

# seen NS WORD FILE: how many readings in FILE had WORD on NS.
seen() { grep -c "^$1 $2\$" "$3"; }
# words_of NSES: what the readings during the attack showed on NSES (an
# extended regular expression: "a|b"), as "N NS WORD" words.
words_of() {
	local w
	w=$(grep -E "^($1) " "$T/during" | sort | uniq -c | tr -s ' \n' ' ')
	echo "${w:-none}"
}

il_at_least() { [ "$(counter "$1" sample_interleaved "$2")" -ge "$3" ]; }
samples_at_least() { [ "$(counter "$1" samples "$2")" -ge "$3" ]; }

check "insmod kntp.ko" load_module
check "topology: a, b, c, d, s, f and m on one bridge" topology
check "a, b: master 3, xleave peers; c, d: master 3, basic peers (1 s polls)" \
	eval 'kn a master 3 && kn a peer $B minpoll 0 maxpoll 0 xleave &&
	      kn b master 3 && kn b peer $A minpoll 0 maxpoll 0 xleave &&
	      kn c master 3 && kn c peer $D minpoll 0 maxpoll 0 &&
	      kn d master 3 && kn d peer $C minpoll 0 maxpoll 0'
check "s: master 1; f: server s xleave (1 s polls)" \
	eval 'kn s master 1 && kn f server $S minpoll 0 maxpoll 0 iburst xleave'
check "a, b and f sample interleaved, c and d basic" \
	wait_for 60 eval 'il_at_least a $B 3 && il_at_least b $A 3 && il_at_least f $S 3 &&
			  samples_at_least c $D 3 && samples_at_least d $C 3'
FPORT=$(kn f -j show associations detail | /usr/bin/python3 -c '
import json, sys
print([x for x in json.load(sys.stdin)["associations"] if x["address"] == sys.argv[1]][0]["local_port"])' $S)
check "f's port to s: $FPORT" test "${FPORT:-0}" -gt 0
states >"$T/before"
check "no association shows a one-sided configuration before the attack" \
	eval 'test ! -s "$T/before" && [ -z "$(one_sided_log)" ]'
sed 's/^/#   /' "$T/before"

# --- the attack ----------------------------------------------------------------
# shellcheck disable=SC2034 # filled by snap and diff_of
declare -A pre w0 w1 post d w
snap pre
spoof() {	# spoof NAME DST SRC ARGS...: m attacks DST as SRC; out in $T/NAME
	local name=$1 dst=$2 src=$3
	shift 3
	ip netns exec m /usr/bin/python3 "$PKTPY" spoof "$dst" --src "$src" \
		--seconds $SPOOF_S --rate $SPOOF_RATE --started "$@" >"$T/$name" 2>&1
}
spoof b $B $A --looks mixed &
pids=($!)
spoof d $D $C --looks xleave &
pids+=($!)
spoof f $F $S --mode 4 --port "$FPORT" --looks mixed &
pids+=($!)
started() { grep -q '^started' "$T/b" && grep -q '^started' "$T/d" && grep -q '^started' "$T/f"; }
wait_for 30 started
# The window the sample rates are measured in: all three spoofers sending.
snap w0
t0=$(now_us)
# Read every association's state while they send (the kernel's log has
# every change; this is what a user sees).
readings=0
: >"$T/during"
while kill -0 "${pids[@]}" 2>/dev/null; do
	states >>"$T/during"
	readings=$((readings + 1))
	sleep 0.2
done
snap w1
t1=$(now_us)
wait "${pids[@]}"
# Let the last packets in flight land.
sleep 0.5
snap post
diff_of d pre post
diff_of w w0 w1
W=$(((t1 - t0) / 1000000))
MIN=$((W * 2 / 3))
echo "# attack window: $W s of the three spoofers sending, $readings readings of the states"
sent_of() { sed -n 's/^sent=\([0-9]*\).*/\1/p' "$T/$1"; }
sent_b=$(sent_of b) sent_d=$(sent_of d) sent_f=$(sent_of f)
for x in $ASSOCS; do
	ns=${x%%:*}
	line=
	for c in $COUNTERS; do line="$line $c +${d[${ns}_$c]}"; done
	echo "# $ns of ${x#*:}:$line"
	echo "#   in the window: samples +${w[${ns}_samples]}, interleaved +${w[${ns}_sample_interleaved]}"
done
for n in b d f; do echo "# m -> $n: $(grep '^sent=' "$T/$n")"; done

# It ends at the first reading after a spoofer ended: a few seconds late.
check "samples are counted over the attack: $W s (the spoofers sent for $SPOOF_S s)" \
	eval '[ "$W" -ge $((SPOOF_S - 5)) ] && [ "$W" -le $((SPOOF_S + 5)) ]'
# A state word shows for a while once set (xleave_peer_only for 32 of the
# peer's packets, 32 s at these polls; xleave_unanswered until an
# interleaved answer), and the kernel logs each as it is set: one reading
# every 5 s is plenty. The debug kernel's lane (KNTP_TIMEOUT_SCALE 3) takes
# about 8 s a reading; one every 15 s still sees a 32 s state twice.
EVERY_S=$((5 * ${KNTP_TIMEOUT_SCALE:-1}))
check "the states were read through the attack ($readings readings, one per $EVERY_S s: >= $((SPOOF_S / EVERY_S)))" \
	test "$readings" -ge $((SPOOF_S / EVERY_S))
check "the kernel noted no one-sided configuration: $(one_sided_log | tr '\n' ';')" \
	test -z "$(one_sided_log)"
for n in b d f; do
	eval "sent=\$sent_$n"
	check "m sent $n its spoofs (${sent:-0} >= $((SPOOF_S * SPOOF_RATE - 2)))" \
		test "${sent:-0}" -ge $((SPOOF_S * SPOOF_RATE - 2))
done

# 1. xleave peers
check "1. b received a's packets and the spoofs, nothing else (+${d[b_rx]} = +${d[a_tx]} + ${sent_b:-0}, +-2)" \
	eval '[ $((d[b_rx] - d[a_tx] - sent_b)) -le 2 ] && [ $((d[b_rx] - d[a_tx] - sent_b)) -ge -2 ]'
check "1. b dropped every spoof as bogus or duplicate (+${d[b_drop_bogus]} + +${d[b_drop_dup]} >= $sent_b)" \
	test $((d[b_drop_bogus] + d[b_drop_dup])) -ge "${sent_b:-1}"
check "1. a and b kept sampling each other interleaved (+${w[a_sample_interleaved]}, +${w[b_sample_interleaved]} >= $MIN in $W s)" \
	eval '[ "${w[a_sample_interleaved]}" -ge $MIN ] && [ "${w[b_sample_interleaved]}" -ge $MIN ]'
check "1. neither showed xleave_unanswered nor xleave_peer_only ($readings readings: $(words_of "a|b"))" \
	eval '! grep -Eq "^(a|b) " "$T/during"'
check "1. neither counted drop_xleave_peer (+${d[a_drop_xleave_peer]}, +${d[b_drop_xleave_peer]})" \
	eval '[ "${d[a_drop_xleave_peer]}" = 0 ] && [ "${d[b_drop_xleave_peer]}" = 0 ]'

# 2. basic peers
check "2. d dropped every spoof as bogus or duplicate (+${d[d_drop_bogus]} + +${d[d_drop_dup]} >= $sent_d)" \
	test $((d[d_drop_bogus] + d[d_drop_dup])) -ge "${sent_d:-1}"
check "2. d never showed xleave_peer_only, nor c a one-sided state ($readings readings: $(words_of "c|d")), nor counted drop_xleave_peer (+${d[c_drop_xleave_peer]}, +${d[d_drop_xleave_peer]})" \
	eval '! grep -Eq "^(c|d) " "$T/during" && [ "${d[d_drop_xleave_peer]}" = 0 ] &&
	      [ "${d[c_drop_xleave_peer]}" = 0 ]'
check "2. c and d kept their samples (+${w[c_samples]}, +${w[d_samples]} >= $MIN in $W s), none interleaved" \
	eval '[ "${w[c_samples]}" -ge $MIN ] && [ "${w[d_samples]}" -ge $MIN ] &&
	      [ "${d[c_sample_interleaved]}" = 0 ] && [ "${d[d_sample_interleaved]}" = 0 ]'

# 3. xleave client
check "3. f received s's answers and the spoofs, nothing else (+${d[f_rx]} - $sent_f <= +${d[f_tx]} + 1)" \
	test $((d[f_rx] - sent_f)) -le $((d[f_tx] + 1))
check "3. f dropped every spoof as bogus or duplicate (+${d[f_drop_bogus]} + +${d[f_drop_dup]} >= $sent_f)" \
	test $((d[f_drop_bogus] + d[f_drop_dup])) -ge "${sent_f:-1}"
check "3. f kept sampling s interleaved (+${w[f_sample_interleaved]} >= $MIN in $W s)" \
	test "${w[f_sample_interleaved]}" -ge $MIN
check "3. f never showed xleave_unanswered ($readings readings: $(words_of f))" \
	eval '! grep -q "^f " "$T/during"'

# --- control: the readings see a real one-sided configuration -----------------
check "control: c peers with d xleave, d does not" \
	eval 'kn c no peer $D && kn c peer $D minpoll 0 maxpoll 0 xleave'
check "  the same readings show c xleave_unanswered and d xleave_peer_only" \
	wait_for 40 eval 'states >"$T/control"; [ "$(seen c xleave_unanswered "$T/control")" = 1 ] &&
			  [ "$(seen d xleave_peer_only "$T/control")" = 1 ]'
check "  d counted c's interleaved packets ($(counter d drop_xleave_peer $C))" \
	test "$(counter d drop_xleave_peer $C)" -gt 0
check "  the kernel noted both: $(one_sided_log | tr '\n' ';')" \
	eval 'one_sided_log | grep -q "^$D answers in basic mode only" &&
	      one_sided_log | grep -q "^$C sends interleaved packets"'

check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
