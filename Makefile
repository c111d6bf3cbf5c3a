# SPDX-License-Identifier: GPL-2.0
#
# kntp: NTPv4 in the Linux kernel.
#
#   make            build kmod/kntp.ko and userland/kntp
#   make check      build, run the unit tests and the guest selftests
#   make check-debug  the guest selftests and a stress test on a debug kernel
#                   (KASAN, lockdep, kmemleak, ...; built once, ~11 min)
#   make unit       only the userspace unit tests (TAP)
#   make demo       the two-router scenario in guests (see README.md)
#   make style      checkpatch and sparse over kmod/
#   make bench      accuracy of kntp and chronyd on a guest's real clock against
#                   an exact truth (about an hour; BENCH_POLLS="0", BENCH_MINUTES=3
#                   and more: scripts/bench-accuracy.sh); also make bench-accuracy;
#                   then a server's transmit-timestamp error, basic and
#                   interleaved, kntp and chronyd (about 12 min; make
#                   bench-t3err, scripts/bench-t3err.sh); then a server's
#                   cost per answer, kntp, chronyd and NTPsec's ntpd (about
#                   40 min; make bench-server, scripts/bench-server.sh)
#   make install    module (kbuild modules_install), tool, man pages, bash
#                   completion, systemd unit; DESTDIR= and PREFIX= as usual
#
# KDIR selects the kernel build tree; by default the newest installed Debian
# kernel with headers (not the running kernel: see scripts/kver.sh).

KVER ?= $(shell scripts/kver.sh)
KDIR ?= /lib/modules/$(KVER)/build
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
UNITDIR ?= /lib/systemd/system

all: module tool

module:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C userland

# Test programs: built on the host, run on the host (unit) or in guests.
tests: all
	$(MAKE) -C selftests
	$(MAKE) -C selftests/unit
	$(MAKE) -C selftests/sim
	$(MAKE) -C userland test

unit: tests
	@$(MAKE) -s -C userland check
	@$(MAKE) -s -C selftests/unit run
	@$(MAKE) -s -C selftests/sim run
	@$(MAKE) -s -C selftests/fuzz fuzz-smoke

check:
	scripts/check.sh

# The scripts install what is missing before they build: on a fresh machine
# there is no kernel to build against until they have.
demo:
	scripts/demo.sh

check-debug:
	KNTP_DEBUG=1 scripts/check.sh

# Not part of check: it measures, it does not pass or fail.
bench: bench-accuracy bench-t3err bench-server

bench-accuracy:
	scripts/bench-accuracy.sh

bench-t3err:
	scripts/bench-t3err.sh

bench-server:
	scripts/bench-server.sh

.PHONY: bench bench-accuracy bench-t3err bench-server

style:
	scripts/style.sh

install: all
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_PATH=$(DESTDIR) modules_install
	install -D -m 755 userland/kntp $(DESTDIR)$(SBINDIR)/kntp
	install -D -m 755 scripts/install/kntp-check-clock-owner \
		$(DESTDIR)$(SBINDIR)/kntp-check-clock-owner
	install -D -m 644 userland/kntp.8 $(DESTDIR)$(MANDIR)/man8/kntp.8
	install -D -m 644 userland/kntp.conf.5 $(DESTDIR)$(MANDIR)/man5/kntp.conf.5
	install -D -m 644 userland/kntp.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/kntp
	mkdir -p $(DESTDIR)$(UNITDIR)
	sed 's|@SBINDIR@|$(SBINDIR)|g' scripts/install/kntp.service \
		>$(DESTDIR)$(UNITDIR)/kntp.service

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C userland clean
	$(MAKE) -C selftests clean
	$(MAKE) -C selftests/unit clean
	$(MAKE) -C selftests/sim clean
	$(MAKE) -C selftests/fuzz clean

.PHONY: all module tool tests unit check check-debug demo style install clean
