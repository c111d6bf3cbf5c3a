# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the kntp shell selftests: TAP output, the module, the
# tool, polling with a deadline. Source it; do not run it.

KNTP_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KNTP_KO=${KNTP_KO:-$KNTP_TOP/kmod/kntp.ko}	# the debug lane builds its own
KNTP=$KNTP_TOP/userland/kntp
KSFT_SKIP=4

tap_n=0
tap_failed=0

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $*"
}

# skip DESC: a check that cannot run here (DESC says why).
# need PROGRAM...: what this test cannot run without. A missing one ends
# the script here with exit 4 (kselftest skip), naming it.
need() {
	local p missing=
	for p; do
		command -v "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "# SKIP: not installed:$missing (scripts/deps.sh installs them)"
	exit "$KSFT_SKIP"
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $* # SKIP"
}

# check DESC CMD...: one TAP line for whether CMD succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}

# Print the plan and exit with the kselftest status.
tap_done() {
	echo "1..$tap_n"
	[ "$tap_failed" -eq 0 ]
	exit $?
}

# Run CMD; succeed if it fails and its stderr contains WORDS. Keeps the
# output in $out_err for further checks.
fails_with() {
	local words=$1
	shift
	if out_err=$("$@" 2>&1 >/dev/null); then
		echo "# unexpectedly succeeded: $*"
		return 1
	fi
	case $out_err in
	*"$words"*) return 0 ;;
	esac
	echo "# '$*' said: $out_err (expected: $words)"
	return 1
}

# wait_for SECONDS CMD...: poll CMD every 0.2 s until it succeeds. The
# deadline stretches by KNTP_TIMEOUT_SCALE (the debug kernel's lane sets 3).
wait_for() {
	local deadline=$(($(date +%s) + $1 * ${KNTP_TIMEOUT_SCALE:-1}))
	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

# insmod does not load what the module needs: modprobe those first.
load_module() {
	local dep
	lsmod | grep -q '^kntp ' && return 0
	for dep in $(modinfo -F depends "$KNTP_KO" | tr , ' '); do
		modprobe "$dep" || return 1
	done
	insmod "$KNTP_KO"
}

# Objects of the module's association cache that are allocated now, or -1
# if that cannot be told. The guests boot with slub_debug=FZPU,kntp_assoc:
# SLUB then tracks every live object's allocation site (alloc_traces, in
# debugfs), poisons freed objects and checks red zones.
live_assocs() {
	local f=/sys/kernel/debug/slab/kntp_assoc/alloc_traces
	[ -d /sys/kernel/debug/slab ] ||
		mount -t debugfs none /sys/kernel/debug 2>/dev/null
	[ -r "$f" ] || { echo "-1"; return; }
	awk '$1 ~ /^[0-9]+$/ { n += $1 } END { print n + 0 }' "$f"
}

# Kernel messages that must never appear: a test that provokes one fails.
kernel_complaints() {
	dmesg | grep -E 'WARNING:|BUG|Oops|Objects remaining|kntp_assoc: Poison|general protection|still has objects'
}

# --- topologies ----------------------------------------------------------

# netns_pair A ADDR4_A ADDR6_A B ADDR4_B ADDR6_B: namespaces A and B (made
# if missing) joined by a veth pair "A-B" / "B-A", each end with an IPv4
# (/24) and an IPv6 (/64) address. Keep names short: "A-B" is an ifname.
netns_pair() {
	local a=$1 a4=$2 a6=$3 b=$4 b4=$5 b6=$6
	ip netns add "$a" 2>/dev/null
	ip netns add "$b" 2>/dev/null
	ip link add "$a-$b" netns "$a" type veth peer name "$b-$a" netns "$b" ||
		return 1
	ip -n "$a" addr add "$a4/24" dev "$a-$b"
	ip -n "$b" addr add "$b4/24" dev "$b-$a"
	ip -n "$a" addr add "$a6/64" dev "$a-$b" nodad
	ip -n "$b" addr add "$b6/64" dev "$b-$a" nodad
	ip -n "$a" link set lo up
	ip -n "$b" link set lo up
	ip -n "$a" link set "$a-$b" up
	ip -n "$b" link set "$b-$a" up
}

# bridge_up: namespace sw with a bridge br0 in it, for bridge_port.
bridge_up() {
	modprobe bridge || return 1
	ip netns add sw &&
		ip -n sw link add name br0 type bridge &&
		ip -n sw link set br0 up
}

# bridge_port NS ADDR: NS (made if missing) on br0 through a veth pair
# "NS-sw" / "sw-NS", with ADDR/24.
bridge_port() {
	ip netns add "$1" 2>/dev/null
	ip link add "$1-sw" netns "$1" type veth peer name "sw-$1" netns sw &&
		ip -n sw link set "sw-$1" master br0 up &&
		ip -n "$1" addr add "$2/24" dev "$1-sw" &&
		ip -n "$1" link set lo up &&
		ip -n "$1" link set "$1-sw" up
}

# --- chronyd, in a namespace ---------------------------------------------

# chronyd_start NS DIR CONFIG-LINES...: run chronyd in NS ("" for this one)
# with its files in DIR (socket DIR/chronyd.sock for chronyc -h); it never
# sets the clock, unless CHRONYD_OWNS_CLOCK=1 (the accuracy benchmark's).
chronyd_start() {
	local ns=$1 dir=$2
	shift 2
	mkdir -p "$dir"
	chmod 700 "$dir"
	{
		printf '%s\n' "$@"
		echo "bindcmdaddress $dir/chronyd.sock"
		echo "pidfile $dir/chronyd.pid"
		echo "logdir $dir"
	} >"$dir/chrony.conf"
	local in_ns=() no_clock=(-x)
	[ -n "$ns" ] && in_ns=(ip netns exec "$ns")
	[ "${CHRONYD_OWNS_CLOCK:-0}" = 1 ] && no_clock=()
	"${in_ns[@]}" chronyd -f "$dir/chrony.conf" "${no_clock[@]}" -u root \
		-l "$dir/chronyd.log" || return 1
	wait_for 10 test -S "$dir/chronyd.sock"
}

chronyd_stop() {
	local dir=$1
	[ -r "$dir/chronyd.pid" ] && kill "$(cat "$dir/chronyd.pid")" 2>/dev/null
	rm -f "$dir/chronyd.pid"
}

chronyc_in() {	# chronyc_in DIR ARGS...
	local dir=$1
	shift
	chronyc -h "$dir/chronyd.sock" "$@"
}

# ntpdig_s2 NS ADDR: ask ADDR with ntpsec's ntpdig from NS (its line goes
# out as a TAP comment); when the answer was at stratum 2, set dig_off and
# dig_bound (its offset and error bound, s), else fail.
ntpdig_s2() {
	local out
	out=$(ip netns exec "$1" ntpdig -t 2 "$2" 2>&1)
	echo "# ntpdig $2: $out"
	echo "$out" | grep -q " s2 " || return 1
	dig_off=$(echo "$out" | awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "+/-") print $i }')
	dig_bound=$(echo "$out" | awk '{ for (i = 1; i < NF; i++) if ($i == "+/-") print $(i + 1) }')
}

# --- reading kntp ----------------------------------------------------------

# nsx NS CMD...: CMD in network namespace NS, or in this one when NS is "".
nsx() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# counters NS "NAME..." [ADDR]: counters of the instance in NS, or of
# ADDR's association, from one reading, their values in the order named
# on one line; 0 for one there is none of. "show counters" is a line per
# counter, its name and its value: read by name, it needs no JSON (and jq,
# which takes half a second to start in a TCG guest, would double the run
# time of the tests that poll counters).
counters() {
	local ns=$1 names=$2
	shift 2
	nsx "$ns" "$KNTP" show counters "$@" |
		awk -v names="$names" '{ v[$1] = $2 }
			END { n = split(names, a, " ")
			      for (i = 1; i <= n; i++)
				      printf "%s%s", (i > 1 ? " " : ""), ((a[i] in v) ? v[a[i]] : 0)
			      print "" }'
}
# counter NS NAME [ADDR]: one of them.
counter() { counters "$@"; }

# reply_field NAME: NAME's value in $reply, the lines "NAME=VALUE" that
# selftests/ntp_pkt.py prints.
reply_field() { echo "$reply" | sed -n "s/^$1=//p"; }

# ntp_answered NS ADDR [ARGS...]: from namespace NS, a request to ADDR
# (selftests/ntp_pkt.py query ADDR ARGS...) gets a mode-4 answer from ADDR
# whose origin is the request's transmit timestamp. $reply keeps what
# ntp_pkt.py printed; on failure the fields that tell why are printed.
ntp_answered() {
	local ns=$1
	shift
	reply=$(ip netns exec "$ns" /usr/bin/python3 "$KNTP_TOP/selftests/ntp_pkt.py" \
		query "$@")
	[ "$(reply_field mode)" = 4 ] &&
		[ "$(reply_field org)" = "$(reply_field sent_xmt)" ] &&
		[ "$(reply_field from)" = "$1" ] ||
		{ echo "$reply" | grep -aE '^(noreply|mode|org|sent_xmt|from)' |
			sed 's/^/#   /'; return 1; }
}

# The tests read the tool's JSON ("kntp -j"), not its columns, with jq.
# jq's numbers are doubles: exact to 2^53 (a time in ns since 1970 to within
# 256 ns); it prints "null" for what is absent, unless told "// empty".

# status_json NS JQ: the jq expression JQ over "kntp -j show status" in NS.
status_json() {
	nsx "$1" "$KNTP" -j show status | jq -r "$2"
}

# assoc_json NS ADDR JQ: the jq expression JQ over ADDR's association in NS
# (an object of "kntp -j show associations detail"); nothing when NS has no
# association with ADDR.
assoc_json() {
	nsx "$1" "$KNTP" -j show associations detail |
		jq -r --arg a "$2" ".associations[] | select(.address == \$a) | $3"
}

# reachable NS ADDR: ADDR's association in NS has heard from it lately.
reachable() {
	local r
	r=$(assoc_json "$1" "$2" '.reach // empty')
	[ -n "$r" ] && [ "$r" != 0 ]
}

# sampled NS ADDR [MIN]: ADDR's association in NS took MIN samples (1).
sampled() {
	[ "$(counter "$1" samples "$2")" -ge "${3:-1}" ]
}

# clock_error_ms NS: |error| of NS's virtual clock against the system
# clock, ms; nothing for the system clock.
clock_error_ms() {
	status_json "$1" '.clock_error_ns // empty' |
		awk '{ printf "%.6f", ($1 < 0 ? -$1 : $1) / 1e6 }'
}

# offset_ok NS ADDR: the newest sample in the clock filter of ADDR's
# association in NS: its offset within its delay, give or take NS's clock
# error (a kntp instance outside the initial namespace keeps a virtual
# clock, which moves against the system clock as it is disciplined, so two
# ends in one guest share a clock only up to that error; the filtered
# offset may be eight polls old). The error is read now and again a second
# later; what it moved in that second, times the sample's age and those two
# seconds, is allowed on top: a busy guest once read it 0.3 ms after a slew
# had moved it. OFFSET_SLACK_S more for rounding.
OFFSET_SLACK_S=0.0001
offset_ok() {
	local off del age err err2
	read -r off del age < <(assoc_json "$1" "$2" '[.filter[]? |
		select(.age_ns != null and .offset_ns != null and .delay_ns != null)] |
		select(length > 0) | min_by(.age_ns) |
		"\(.offset_ns / 1e6) \(.delay_ns / 1e6) \(.age_ns / 1e9)"')
	err=$(clock_error_ms "$1")
	sleep 1
	err2=$(clock_error_ms "$1")
	echo "# $1 -> $2: newest sample ($age s old): offset $off ms, delay $del ms; clock error ${err:-0} ms, ${err2:-0} ms a second later"
	[ -n "${del:-}" ] && within_delay "$off" "$(awk -v d="$del" -v e="${err:-0}" -v f="${err2:-0}" \
		-v a="${age:-0}" -v s=$OFFSET_SLACK_S 'BEGIN { m = f - e; if (m < 0) m = -m;
			print d + (e > f ? e : f) + m * (a + 2) + s * 1000 }')"
}

# ms_between X_NS LO HI: LO <= X_NS / 1e6 < HI; false for an empty X_NS.
ms_between() {
	awk -v x="$1" -v l="$2" -v h="$3" 'BEGIN { if (x == "") exit 1; x /= 1e6; exit !(x >= l && x < h) }'
}

# median: the middle of the numbers on stdin, one a line (the lower of the
# two middle ones of an even count); nothing for none.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

# within_delay OFFSET DELAY: |offset| <= delay (decimal numbers, any unit).
within_delay() {
	awk -v o="$1" -v d="$2" 'BEGIN { if (o < 0) o = -o; exit !(d != "" && o <= d) }'
}
