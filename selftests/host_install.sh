#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-timeout: 300
#
# make install into a scratch DESTDIR: the module where modprobe finds it,
# the tool, man pages that render without warnings, bash completion that
# completes, a systemd unit whose start refuses to run beside another time
# daemon. On the host: nothing here loads the module.
set -u
. "$(dirname "$0")/lib.sh"

D=$(mktemp -d /tmp/kntp-install.XXXXXX)
fake=
cleanup() {
	[ -n "$fake" ] && kill "$fake" 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT
cd "$KNTP_TOP" || exit 1
KVER=$(scripts/kver.sh)

check "make install DESTDIR=... PREFIX=/usr" \
	eval 'make -s install DESTDIR="$D" PREFIX=/usr >"$D.log" 2>&1 || { cat "$D.log"; false; }'
check "the module is under /lib/modules/$KVER" \
	eval 'find "$D/lib/modules/$KVER" -name kntp.ko | grep -q .'
check "the installed module is the one built (same vermagic)" \
	eval '[ "$(modinfo -F vermagic "$(find "$D/lib/modules/$KVER" -name kntp.ko)")" = \
	       "$(modinfo -F vermagic kmod/kntp.ko)" ]'
check "the tool runs: kntp help" eval '"$D/usr/sbin/kntp" help >/dev/null'
for page in man8/kntp.8 man5/kntp.conf.5; do
	check "man -l $page renders without warnings" \
		eval 'w=$(MANWIDTH=80 man --warnings -l "$D/usr/share/man/$page" 2>&1 >/dev/null);
		      [ -z "$w" ] || { echo "# $w"; false; }'
done
check "kntp(8) documents every command of kntp help" \
	eval 'for c in server peer master enable disable clock apply show monitor; do
		man -l "$D/usr/share/man/man8/kntp.8" 2>/dev/null | grep -q "^ *$c\\b\\|[, ]$c\\b" ||
		{ echo "# $c undocumented"; exit 1; }; done'
unit=$D/lib/systemd/system/kntp.service
check "the systemd unit names the installed tool" \
	eval 'grep -q "^ExecStart=/usr/sbin/kntp apply /etc/kntp.conf$" "$unit" &&
	      ! grep -q @ "$unit"'
gate=$D/usr/sbin/kntp-check-clock-owner
if pgrep -x chronyd >/dev/null || pgrep -x ntpd >/dev/null; then
	ok "the start gate passes without another daemon # SKIP one runs here"
else
	check "the start gate passes without another time daemon" "$gate"
fi
mkdir -p "$D/bin" && cp /bin/sleep "$D/bin/chronyd"
"$D/bin/chronyd" 60 &
fake=$!
check "the start gate refuses beside a running chronyd, saying why" \
	fails_with "chronyd is running" "$gate"
kill "$fake"
wait "$fake" 2>/dev/null
fake=
complete_words() {	# complete_words WORDS...: what bash completion offers
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
		 _kntp; printf "%s\n" "${COMPREPLY[@]}"' _ \
		"$D/usr/share/bash-completion/completions/kntp" "$@"
}
check "bash completion: kntp sh<TAB> -> show" \
	eval '[ "$(complete_words kntp sh)" = show ]'
check "bash completion: kntp show ntp <TAB> offers associations and status" \
	eval 'complete_words kntp show ntp "" | grep -qx associations &&
	      complete_words kntp show ntp "" | grep -qx status'
check "bash completion: kntp server 192.0.2.1 ib<TAB> -> iburst" \
	eval '[ "$(complete_words kntp server 192.0.2.1 ib)" = iburst ]'
tap_done
