#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kntp tool against the module, as an operator uses it:
#
#   guest: kntp.ko ── genl "kntp" ── userland/kntp
#
# Adds and removes servers and peers (IPv4 and IPv6, with options), reads
# them back, and checks that every refusal prints the kernel's reason,
# quotes the input, exits non-zero and changes nothing.
set -u
. "$(dirname "$0")/lib.sh"
need python3

D=$(mktemp -d /tmp/kntp-tool.XXXXXX)
trap 'rm -rf "$D"' EXIT

# The association rows of "show associations": tally, ~, address, ...
rows() {
	"$KNTP" show associations | grep -E '^.~'
}

# row ADDR: the row of one address (fields: ~ADDR refid st when poll reach ...)
row() {
	rows | awk -v a="$1" '{ sub(/^.~/, ""); if ($1 == a) print }'
}

# has ADDR FIELD VALUE: the row of ADDR has VALUE in column FIELD.
has() {
	local r
	r=$(row "$1")
	[ -n "$r" ] || { echo "# no row for $1"; return 1; }
	[ "$(echo "$r" | awk -v f="$2" '{ print $f }')" = "$3" ] ||
		{ echo "# $1: field $2 is not $3: $r"; return 1; }
}

count_rows() {
	[ "$(rows | wc -l)" -eq "$1" ]
}

# The configured associations: address and poll interval (the columns a
# refused command could change; measurements move on their own).
config() {
	rows | awk '{ r = $0; sub(/^.~/, "", r); split(r, c, " "); print c[1], c[5] }'
}

# unchanged_after CMD...: CMD fails and the configuration is the same after.
unchanged_after() {
	local before after
	before=$(config)
	"$@" 2>/dev/null && { echo "# succeeded: $*"; return 1; }
	after=$(config)
	[ "$before" = "$after" ] || { echo "# changed by: $*: $before / $after"; return 1; }
}

check "insmod kntp.ko" load_module
check "status of a fresh instance: unsynchronised, stratum 16" \
	eval '"$KNTP" show status | grep -q "unsynchronized, stratum 16"'
check "show associations: empty" count_rows 0

check "server 192.0.2.1" "$KNTP" server 192.0.2.1
check "  listed, stratum 16, refid .INIT., poll 64 s, reach 0" \
	eval 'has 192.0.2.1 2 .INIT. && has 192.0.2.1 3 16 &&
	      has 192.0.2.1 5 64 && has 192.0.2.1 6 0'
check "ntp peer 2001:db8::2 minpoll 4 maxpoll 6 iburst (leading ntp)" \
	"$KNTP" ntp peer 2001:db8::2 minpoll 4 maxpoll 6 iburst
check "  listed with poll 16 s (2^minpoll)" has 2001:db8::2 5 16
check "peer 198.51.100.2 version 3 prefer" "$KNTP" peer 198.51.100.2 version 3 prefer
check "server 2001:db8::1 maxpoll 4 (minpoll follows down)" \
	"$KNTP" server 2001:db8::1 maxpoll 4
check "  listed with poll 16 s" has 2001:db8::1 5 16
check "show ntp associations lists all four" count_rows 4
check "show status counts four associations" \
	eval '"$KNTP" show ntp status | grep -q "associations: 4"'

# Refusals: the kernel's reason, the input quoted, nothing changed.
check "duplicate server: 'already exists', exit 1" \
	fails_with "already exists" "$KNTP" server 192.0.2.1
check "  the refusal quotes the address" eval 'case $out_err in *192.0.2.1*) ;; *) false ;; esac'
check "duplicate as peer: 'already exists'" \
	fails_with "already exists" "$KNTP" peer 192.0.2.1
check "minpoll 18: kernel says out of range" \
	fails_with "minpoll out of range" "$KNTP" server 192.0.2.3 minpoll 18
check "maxpoll -5: kernel says out of range" \
	fails_with "maxpoll out of range" "$KNTP" server 192.0.2.3 maxpoll -5
check "minpoll 8 maxpoll 7: refused" \
	fails_with "minpoll is greater than maxpoll" "$KNTP" server 192.0.2.3 minpoll 8 maxpoll 7
check "version 2: refused" \
	fails_with "version out of range" "$KNTP" server 192.0.2.3 version 2
check "multicast address: refused" \
	fails_with "unicast" "$KNTP" server 224.0.1.1
check "no peer of a server: refused" \
	fails_with "is a server, not a peer" "$KNTP" no peer 192.0.2.1
check "no server of a peer: refused" \
	fails_with "is a peer, not a server" "$KNTP" no server 198.51.100.2
check "no server of an absent address: refused" \
	fails_with "no association" "$KNTP" no server 192.0.2.77
check "bad address is quoted" fails_with '"192.0.2.x"' "$KNTP" server 192.0.2.x
check "unknown option is quoted" fails_with '"ibust"' "$KNTP" server 192.0.2.3 ibust
check "missing option value" fails_with "minpoll" "$KNTP" server 192.0.2.3 minpoll
check "unknown command" fails_with "bogus" "$KNTP" bogus
for args in "server 192.0.2.1" "server 192.0.2.3 minpoll 18" \
	    "no peer 192.0.2.1" "no server 192.0.2.77" "server 192.0.2.x"; do
	# shellcheck disable=SC2086
	check "table unchanged after refused '$args'" unchanged_after "$KNTP" $args
done

# Host names: the tool resolves them (here from /etc/hosts), never the kernel.
check "server localhost: resolved by the tool to a loopback address" \
	eval '"$KNTP" server localhost minpoll 4 &&
	      "$KNTP" show associations | grep -Eq "^.~(127\.0\.0\.1|::1) "'
check "no server localhost removes it" \
	eval '"$KNTP" no server localhost &&
	      ! "$KNTP" show associations | grep -Eq "^.~(127\.0\.0\.1|::1) "'
check "an unresolvable name is quoted" \
	fails_with '"no-such-host.invalid"' "$KNTP" server no-such-host.invalid
check "no server 192.0.2.1" "$KNTP" no server 192.0.2.1
check "no ntp peer 2001:db8::2" "$KNTP" no ntp peer 2001:db8::2
check "  two left, the right two" \
	eval 'count_rows 2 && [ -n "$(row 198.51.100.2)" ] && [ -n "$(row 2001:db8::1)" ]'
check "  removed address is gone" eval '[ -z "$(row 192.0.2.1)" ]'

# JSON: one document per show command, parsed by a tool we did not write.
json_get() {	# json_get PYTHON-EXPR ARGS...: evaluate on the JSON of ARGS
	local expr=$1
	shift
	"$KNTP" "$@" | /usr/bin/python3 -c "import json, sys; d = json.load(sys.stdin); print($expr)"
}
check "-j show associations: valid JSON listing both, with units in names" \
	eval '[ "$(json_get "\" \".join(sorted(a[\"address\"] for a in d[\"associations\"]))" -j show associations)" = \
	       "198.51.100.2 2001:db8::1" ] &&
	      [ "$(json_get "d[\"associations\"][0][\"poll_log2\"]" show associations --json)" != "" ]'
check "-j show status: synchronized false, stratum 16, two associations" \
	eval '[ "$(json_get "(d[\"synchronized\"], d[\"stratum\"], d[\"associations\"])" -j show status)" = \
	       "(False, 16, 2)" ]'
check "-j show counters: the instance counters, as numbers" \
	eval '[ "$(json_get "type(d[\"counters\"][\"tx_err\"]).__name__" -j show counters)" = int ]'
check "-j on a command that prints nothing is a usage error, naming it" \
	fails_with '-j: "no server" has no JSON output' "$KNTP" -j no server 192.0.2.200
# "show associations detail": a block per association, opening with its
# address, each with the clock filter; -j: eight filter stages each.
detail_has() {	# detail_has ADDR: ADDR opens a block that has "filter delay"
	"$KNTP" show ntp associations detail | awk -v a="$1" '
		/^[^ ]/ { inb = ($1 == a); if (inb) n++ }
		inb && /^ filter delay +=/ { f++ }
		END { exit !(n == 1 && f == 1) }'
}
check "show associations detail: a block per association, with its filter" \
	eval '[ "$("$KNTP" show associations detail | grep -c "^[^ ]")" -eq 2 ] &&
	      detail_has 198.51.100.2 && detail_has 2001:db8::1'
check "-j show associations detail: valid JSON, 8 filter stages each" \
	eval '[ "$(json_get "\" \".join(sorted(a[\"address\"] + \"/\" + str(len(a[\"filter\"])) for a in d[\"associations\"] if \"disp_ns\" in a[\"filter\"][0]))" -j show associations detail)" = \
	       "198.51.100.2/8 2001:db8::1/8" ]'
# "show metrics": OpenMetrics text, read back by a small parser of the
# format's rules (TYPE before samples, counters _total, # EOF last), its
# figures compared with what the JSON says.
metrics_py='
import json, re, sys
text = open(sys.argv[1]).read()
js = json.load(open(sys.argv[2]))
lines = text.split("\n")
assert lines[-2:] == ["# EOF", ""], "no # EOF at the end"
fams, cur, vals = {}, None, {}
for l in lines[:-2]:
    m = re.fullmatch(r"# TYPE (\w+) (gauge|counter)", l)
    if m:
        assert m[1] not in fams, "TYPE twice: " + l
        fams[m[1]] = cur = m[2]; name = m[1]; continue
    if l.startswith("# UNIT ") or l.startswith("# HELP "):
        assert l.split(" ")[2] == name, l; continue
    m = re.fullmatch(r"(\w+)(\{[^}]*\})? (-?[0-9.]+)", l)
    assert m and cur, "not a sample: " + l
    want = name + ("_total" if cur == "counter" else "")
    assert m[1] == want, "sample %s in family %s" % (m[1], name)
    vals[m[1] + (m[2] or "")] = float(m[3])
peer = {a["address"]: a for a in js["associations"]}["198.51.100.2"]
key = "kntp_association_poll_seconds{address=\"198.51.100.2\",kind=\"peer\"}"
assert vals[key] == 2 ** peer["poll_log2"], (vals[key], peer["poll_log2"])
assert vals["kntp_synchronized"] == 0 and vals["kntp_stratum"] == 16
assert vals["kntp_associations"] == 2
# Read between two readings of the counters: a poll may fail to send meanwhile.
tx_err = [json.load(open(f))["counters"]["tx_err"] for f in sys.argv[3:5]]
assert tx_err[0] <= vals["kntp_tx_err_total"] <= tx_err[1], (tx_err, vals["kntp_tx_err_total"])
print(len(vals))
'
metrics_ok() {
	local n
	"$KNTP" -j show counters >"$D"/metrics-counters0.json &&
		"$KNTP" show metrics >"$D"/metrics.txt &&
		"$KNTP" -j show associations >"$D"/metrics-assocs.json &&
		"$KNTP" -j show counters >"$D"/metrics-counters1.json &&
		n=$(/usr/bin/python3 -c "$metrics_py" "$D"/metrics.txt "$D"/metrics-assocs.json \
			"$D"/metrics-counters0.json "$D"/metrics-counters1.json) ||
		{ echo "# $(tail -3 "$D"/metrics.txt)"; return 1; }
	echo "# show metrics: $n samples"
}
check "show metrics: OpenMetrics text; stratum, associations, poll and counters as the JSON says" \
	metrics_ok
check "rmmod kntp with associations present" rmmod kntp
check "tool says the module is not loaded" \
	fails_with "not loaded" "$KNTP" show associations
check "no kernel warnings" test -z "$(kernel_complaints)"
tap_done
