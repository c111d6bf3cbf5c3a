#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configuration file, as an operator uses it:
#
#   guest: kntp.ko ── namespace r1 ── kntp apply FILE / show running-config
#
# Applies the seed's router configurations (R1, R2, with "!" comments) in a
# namespace, applies them again (no change, the associations kept with
# their counters), edits the file (the right changes), refuses a file with
# a bad line (quoted, nothing changed), and re-applies the running
# configuration (no change).
set -u
. "$(dirname "$0")/lib.sh"
need python3 jq

NS=r1
D=$(mktemp -d /tmp/kntp-config.XXXXXX)
chmod 755 "$D"	# the unprivileged test reads its file
cleanup() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
in_ns() { ip netns exec "$NS" "$@"; }
k() { in_ns "$KNTP" "$@"; }

cat >"$D/r1.conf" <<'EOF'
! R1
ntp server 192.0.2.1          ! upstream
ntp peer 198.51.100.2         ! R2
EOF
cat >"$D/r2.conf" <<'EOF'
! R2
ntp server 192.0.2.2          ! upstream

ntp peer 198.51.100.1         ! R1
EOF

# The associations as "ADDR" lines, sorted.
addrs() {
	k show associations | grep -E '^.~' |
		awk '{ r = $0; sub(/^.~/, "", r); split(r, c, " "); print c[1] }' | sort
}

# expect_out WANT CMD...: CMD succeeds and prints exactly WANT.
expect_out() {
	local want=$1 got
	shift
	got=$("$@" 2>&1) || { echo "# failed: $*: $got"; return 1; }
	[ "$got" = "$want" ] && return 0
	echo "# $*: got:"
	printf '%s\n' "$got" | sed 's/^/#   /'
	echo "# wanted:"
	printf '%s\n' "$want" | sed 's/^/#   /'
	return 1
}

# sent ADDR: packets the association ADDR sent or failed to send (no route).
sent() {
	echo $(($(counter "$NS" tx "$1") + $(counter "$NS" tx_err "$1")))
}

check "insmod kntp.ko" load_module
ip netns add "$NS"
ip -n "$NS" link set lo up

check "apply R1: the server and the peer added" \
	expect_out "+ server 192.0.2.1
+ peer 198.51.100.2" k apply "$D/r1.conf"
check "  show associations lists both" \
	eval '[ "$(addrs | tr "\n" " ")" = "192.0.2.1 198.51.100.2 " ]'
check "  the server polled (first poll within 0.5 s)" \
	wait_for 5 eval '[ "$(sent 192.0.2.1)" -ge 1 ]'
before=$(sent 192.0.2.1)
echo "# server 192.0.2.1 sent $before"

check "apply R1 again: no change" expect_out "no change" k apply "$D/r1.conf"
after=$(sent 192.0.2.1)
check "  the server kept: its counter went on ($before -> $after), not reset" \
	eval '[ "$after" -ge "$before" ] && [ "$after" -ge 1 ]'
check "  still the same two associations" \
	eval '[ "$(addrs | tr "\n" " ")" = "192.0.2.1 198.51.100.2 " ]'

cat >"$D/r1.conf" <<'EOF'
! R1, edited: no peer, a faster server
ntp server 192.0.2.1 minpoll 4   ! upstream
EOF
check "edited: the peer deleted, the server replaced (minpoll 6 -> 4)" \
	expect_out "- peer 198.51.100.2
~ server 192.0.2.1 (minpoll 6 -> 4)" k apply "$D/r1.conf"
check "  show associations: the server only, polling every 16 s" \
	eval '[ "$(addrs)" = "192.0.2.1" ] &&
	      [ "$(assoc_json "$NS" 192.0.2.1 .poll_log2)" = 4 ]'

cfg_before=$(k show running-config)
printf '! R1\nntp server 192.0.2.1 minpoll 4\nntp srver 192.0.2.9\nntp peer 198.51.100.2\n' \
	>"$D/bad.conf"
check "a bad line: refused, naming the file and line, quoting it" \
	fails_with "$D/bad.conf:3: \"ntp srver 192.0.2.9\": unknown command \"srver\"" \
	k apply "$D/bad.conf"
echo "# $out_err"
check "  nothing changed (the peer of line 4 not added)" \
	eval '[ "$(k show running-config)" = "$cfg_before" ] && [ "$(addrs)" = "192.0.2.1" ]'
printf 'ntp server 192.0.2.7\nntp peer 192.0.2.7\n' >"$D/dup.conf"
check "a duplicate address: refused, quoting both lines" \
	fails_with "$D/dup.conf:2: \"ntp peer 192.0.2.7\": duplicate address 192.0.2.7 (also on line 1)" \
	k apply "$D/dup.conf"
check "  nothing changed" \
	eval '[ "$(k show running-config)" = "$cfg_before" ]'

check "apply R2: R1's server deleted, R2's added" \
	expect_out "- server 192.0.2.1
+ server 192.0.2.2
+ peer 198.51.100.1" k apply "$D/r2.conf"

# Settings: set when given, left alone otherwise; master removed when gone.
cat >"$D/r2m.conf" <<'EOF'
ntp server 192.0.2.2
ntp peer 198.51.100.1 iburst
ntp master 9
ntp clock step-threshold 50
EOF
check "master, a threshold and a flag added" \
	expect_out "clock step-threshold 50
~ peer 198.51.100.1 (iburst)
master 9" k apply "$D/r2m.conf"
check "running-config shows them" \
	eval 'k show running-config | grep -qx "ntp master 9" &&
	      k show running-config | grep -qx "ntp clock step-threshold 50" &&
	      k show running-config | grep -qx "ntp peer 198.51.100.1 iburst" &&
	      k show running-config | grep -qx "ntp server 192.0.2.2"'
check "-j show running-config: the same lines as a JSON array" \
	eval '[ "$(k -j show running-config | /usr/bin/python3 -c "import json, sys; print(len([l for l in json.load(sys.stdin)[\"running_config\"] if l in (\"ntp master 9\", \"ntp server 192.0.2.2\")]))")" = 2 ]'
check "running-config applied again (a pipe, apply -): no change" \
	expect_out "no change" eval 'k show running-config | k apply -'
k show running-config >"$D/running.conf"
sed 's/^/# /' "$D/running.conf"
check "running-config applied again (a file): no change" \
	expect_out "no change" k apply "$D/running.conf"
check "R2 again: the peer without iburst, no master; the threshold left" \
	expect_out "~ peer 198.51.100.1 (no iburst)
no master" k apply "$D/r2.conf"
check "  step-threshold still 50" \
	eval 'k show running-config | grep -qx "ntp clock step-threshold 50"'

# A kernel refusal midway: the kernel's message and the line.
if command -v setpriv >/dev/null; then
	printf 'ntp server 192.0.2.2\nntp peer 198.51.100.1\nntp server 192.0.2.3\n' \
		>"$D/add.conf"
	check "unprivileged: refused with the kernel's reason and the line" \
		fails_with "$D/add.conf:3: \"ntp server 192.0.2.3\": Operation not permitted" \
		in_ns setpriv --reuid 65534 --regid 65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$KNTP" apply "$D/add.conf"
	echo "# $out_err"
	check "  nothing changed" \
		eval '[ "$(addrs | tr "\n" " ")" = "192.0.2.2 198.51.100.1 " ]'
else
	ok "# SKIP no setpriv"
fi

check "missing file: an error naming it" \
	fails_with "$D/none.conf: No such file or directory" k apply "$D/none.conf"

ip netns del "$NS"
check "no kernel complaints" eval '! kernel_complaints'
rm -rf "$D"
tap_done
