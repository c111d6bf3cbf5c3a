#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Hand-made NTP packets for the kntp selftests.

    ntp_pkt.py query ADDR [--port P] [--mode M] [--version V] [--len N]
                          [--raw HEX] [--zero-xmt] [--timeout S]
                          [--broadcast] [--count N]
        Send one packet to ADDR:P and print the reply's fields as
        "key=value" lines, or "noreply" when none came within the timeout.
        ADDR may be an IPv6 address with a scope ("ff02::1%eth0");
        --broadcast allows an IPv4 broadcast address. With --count, send N
        requests one after the other (each waits for its reply or the
        timeout) and print "replies=K" only. "from=" is the address the
        reply came from. With --fragment, the request goes as two IP
        fragments, written by hand on a raw socket.

    ntp_pkt.py tap IFACE [--wait S]
        A packet tap (AF_PACKET) on IFACE: prints "ready", waits for
        SIGUSR1 or S seconds (default 30), then reads what it queued and
        prints a line for each NTP packet: "pkt dir=in|out mode=M org=N
        xmt=N". The data is read only after the wait: a tap's copy that
        the receiver wrote into shows what it wrote.

    ntp_pkt.py serve ADDR SCRIPT [--timeout S]
        Play an NTP server on ADDR:123. SCRIPT is a comma-separated list of
        what to answer to each request in turn: good, dup (the previous
        reply again), bogus (wrong origin), zero-org, unsync (leap 3),
        stratum16, distance (root dispersion 20 s), reftime-future, rate,
        deny, rstr, silent (no answer). After the list: good forever.
        Prints "request N" and "answer N KIND" lines as it goes; exits when
        no request came for the timeout.

    ntp_pkt.py flood ADDR [--seconds S] [--rate N]
        Send client requests to ADDR:123 for S seconds (default 10), as
        fast as possible or N a second, reading whatever replies come;
        print "sent=N replies=M". Errors from the network (an address gone) are counted,
        not fatal.

    ntp_pkt.py clock ADDR[=LI] ... [--leap-at L --leap add|del]
                                   [--seconds S] [--base-file F]
                                   [--basic-lead]
        Play a stratum-1 server whose clock is its own: UTC as the system
        clock read at the start, plus the time elapsed since on
        CLOCK_MONOTONIC_RAW, which nothing disciplining the system clock
        moves. On each ADDR:123. With --leap, its clock inserts a second at
        the UTC midnight L (Unix s; 23:59:59 comes twice, as the kernel
        does it) or deletes one (23:59:59 is left out), and ADDR announces
        it with leap indicator LI (default 1 for add, 2 for del; 0 never)
        from L - 1 day until it happens. Prints "ready" once bound; serves
        for S seconds (default 600). With --base-file, writes "START_UTC
        RAW0" (ns) to F before "ready": its uniform time is then START_UTC +
        CLOCK_MONOTONIC_RAW - RAW0 (before any leap), which a sampler can
        compare with the system clock (selftests/bench/truth.py).
        Interleaved mode (RFC 9769, as chronyd and kntp answer it): every
        answer's receive field ends in bit 1, its transmit field in bit 0.
        A request in interleaved form (version 4, origin odd, receive !=
        transmit) whose origin is the receive field of our answer to that
        client's address before, not given out yet, is answered with origin
        = its receive field and transmit = when that answer left: the
        kernel's transmit stamp (SO_TIMESTAMPING, from the error queue),
        taken on CLOCK_REALTIME and put on this clock at once. Every
        request's receive time is the kernel's receive stamp, as a real
        server's (read here instead, it would carry this process's wakeup,
        which its transmit time, written just before sending, does not
        offset). Answers to requests in interleaved form are kept (the last
        1024). On exit (SIGTERM too),
        prints "stats requests=N interleaved=N xleave_basic=N tx_stamps=N
        tx_dup=N unstamped=N rx_user=N t3_lag_n=N [t3_lag_min_ns=N
        t3_lag_p50_ns=N t3_lag_ns=N t3_lag_max_ns=N]": interleaved
        answers, basic answers
        to requests in interleaved form, transmit stamps received (of kept
        answers; the first of each is used), further stamps of a packet
        already stamped (it went on through another device of this kernel
        that kept it ours, such as a bridge's port in another namespace),
        interleaved answers that had to carry the written time (no stamp
        yet), receive times read here for want of a kernel stamp; and of
        basic answers, how many were stamped and how much later than their
        written transmit time they left, least, median, mean and most:
        this server's own T3 error in basic mode (a basic client's offset
        reads half of it low). A basic answer's transmit time is the time
        read last thing before sending it; with --basic-lead (the accuracy
        benchmark), plus the median of how long the last 33 took from there
        to the driver (their transmit stamps): this server's own latency,
        which is no part of what a benchmark of the clients measures, is
        taken out but for its variation (and so would a queue in its host
        be, which a real server's basic answers carry).

Only the Python standard library; packets are built byte by byte.
"""
import argparse
import collections
import os
import select
import signal
import socket
import struct
import sys
import time

NTP_EPOCH_OFFSET = 2208988800  # 1970-01-01 in NTP era 0, s
HEADER = struct.Struct("!BBbbII4sQQQQ")
XMT = struct.Struct("!Q")  # the transmit timestamp ...
XMT_AT = HEADER.size - XMT.size  # ... is the header's last field


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return ~total & 0xffff


def send_fragments(s, payload, dest):
    """Send payload from s's port to dest as two IP fragments: the UDP
    header and 16 bytes, then the rest (fragment offsets count 8 bytes)."""
    s.connect(dest)  # picks our address and port
    src, sport = s.getsockname()[:2]
    v6 = s.family == socket.AF_INET6
    saddr = socket.inet_pton(s.family, src)
    daddr = socket.inet_pton(s.family, dest[0])
    udp_len = 8 + len(payload)
    if v6:
        pseudo = saddr + daddr + struct.pack("!IxxxB", udp_len, socket.IPPROTO_UDP)
    else:
        pseudo = saddr + daddr + struct.pack("!BBH", 0, socket.IPPROTO_UDP, udp_len)
    udp = struct.pack("!HHHH", sport, dest[1], udp_len, 0) + payload
    check = csum16(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", check) + udp[8:]
    ident = os.getpid() & 0xffff
    # IPv6: the kernel writes the IPv6 header, we the fragment header (44).
    raw = socket.socket(s.family, socket.SOCK_RAW,
                        44 if v6 else socket.IPPROTO_RAW)
    for off, more in ((0, 1), (24, 0)):
        part = udp[off:off + 24] if more else udp[off:]
        if v6:
            pkt = struct.pack("!BBHI", socket.IPPROTO_UDP, 0, off | more,
                              ident) + part
            raw.sendto(pkt, (dest[0], 0))
            continue
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(part), ident,
                          more << 13 | off // 8, 64, socket.IPPROTO_UDP, 0,
                          saddr, daddr)
        hdr = hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]
        raw.sendto(hdr + part, (dest[0], 0))
    raw.close()


def tap(args):
    t = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    t.bind((args.iface, 0))
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    print("ready", flush=True)
    signal.sigtimedwait([signal.SIGUSR1], args.wait)
    t.setblocking(False)
    while True:
        try:
            frame, addr = t.recvfrom(65536)
        except BlockingIOError:
            break
        eth_type = struct.unpack_from("!H", frame, 12)[0]
        if eth_type == 0x0800 and frame[23] == socket.IPPROTO_UDP:
            udp = 14 + (frame[14] & 15) * 4
        elif eth_type == 0x86dd and frame[20] == socket.IPPROTO_UDP:
            udp = 14 + 40
        else:
            continue
        sport, dport = struct.unpack_from("!HH", frame, udp)
        ntp = frame[udp + 8:]
        if 123 not in (sport, dport) or len(ntp) < 48:
            continue
        f = unpack(ntp)
        way = "out" if addr[2] == socket.PACKET_OUTGOING else "in"
        print("pkt dir=%s mode=%d org=%d xmt=%d" % (way, f["mode"], f["org"],
                                                   f["xmt"]))
    return 0


def to_ntp(ns):
    """Unix ns as an NTP timestamp (era 0)."""
    sec, frac_ns = divmod(ns, 1_000_000_000)
    return ((sec + NTP_EPOCH_OFFSET) % (1 << 32)) << 32 | (frac_ns << 32) // 1_000_000_000


def ntp_now():
    return to_ntp(time.time_ns())


def pack(leap=0, version=4, mode=3, stratum=0, poll=0, precision=-20,
         root_delay=0, root_disp=0, refid=b"\0\0\0\0", ref=0, org=0, rec=0,
         xmt=0):
    return HEADER.pack(leap << 6 | version << 3 | mode, stratum, poll,
                       precision, root_delay, root_disp, refid, ref, org, rec,
                       xmt)


def unpack(data):
    (lvm, stratum, poll, precision, root_delay, root_disp, refid, ref, org,
     rec, xmt) = HEADER.unpack_from(data)
    return {
        "leap": lvm >> 6, "version": lvm >> 3 & 7, "mode": lvm & 7,
        "stratum": stratum, "poll": poll, "precision": precision,
        "root_delay": root_delay, "root_disp": root_disp,
        "refid": refid.hex(), "refid_ascii": refid.decode("ascii", "replace"),
        "ref": ref, "org": org, "rec": rec, "xmt": xmt, "len": len(data),
    }


def family_of(addr):
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def query(args):
    s = socket.socket(family_of(args.addr), socket.SOCK_DGRAM)
    if args.broadcast:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    dest = socket.getaddrinfo(args.addr, args.port, family_of(args.addr),
                              socket.SOCK_DGRAM)[0][4]
    if args.count is not None:
        replies = 0
        for _ in range(args.count):
            s.sendto(pack(version=args.version, mode=args.mode, xmt=ntp_now()),
                     dest)
            r, _, _ = select.select([s], [], [], args.timeout)
            if r:
                s.recvfrom(2048)
                replies += 1
        print("replies=%d" % replies)
        return 0
    if args.raw is not None:
        pkt = bytes.fromhex(args.raw)
    else:
        xmt = 0 if args.zero_xmt else ntp_now()
        pkt = pack(version=args.version, mode=args.mode, xmt=xmt)
        if args.len is not None:
            pkt = (pkt + bytes(max(0, args.len - len(pkt))))[:args.len]
    sent_xmt = HEADER.unpack_from(pkt)[10] if len(pkt) >= 48 else None
    if args.fragment:
        send_fragments(s, pkt, dest)
    else:
        s.sendto(pkt, dest)
    r, _, _ = select.select([s], [], [], args.timeout)
    if not r:
        print("noreply")
        return 0
    data, peer = s.recvfrom(2048)
    if len(data) < 48:
        print("short=%d" % len(data))
        return 1
    f = unpack(data)
    f["t4"] = ntp_now()
    f["sent_xmt"] = sent_xmt
    f["from"] = peer[0]
    # Orderings, for shells that cannot compare 64-bit unsigned numbers.
    f["rec_le_xmt"] = int(f["rec"] <= f["xmt"])
    f["xmt_le_t4"] = int(f["xmt"] <= f["t4"])
    f["ref_le_xmt"] = int(f["ref"] <= f["xmt"])
    for k, v in f.items():
        print("%s=%s" % (k, v))
    return 0


def reply_for(kind, req, prev):
    """The reply to request req as scripted; None for no answer."""
    if kind == "dup":
        return prev
    if kind == "silent":
        return None
    f = dict(leap=0, version=req["version"], mode=4, stratum=1, poll=req["poll"],
             precision=-20, root_delay=0, root_disp=0x0010,
             refid=b"GPS\0", org=req["xmt"], rec=ntp_now())
    f["ref"] = f["rec"] - (1 << 32)  # one second ago
    if kind == "bogus":
        f["org"] = req["xmt"] ^ 0x5A5A
    elif kind == "zero-org":
        f["org"] = 0
    elif kind == "unsync":
        f["leap"] = 3
    elif kind == "stratum16":
        f["stratum"] = 16
    elif kind == "distance":
        f["root_disp"] = 20 << 16  # 20 s: above MAXDISP
    elif kind == "reftime-future":
        f["ref"] = f["rec"] + (100 << 32)
    elif kind in ("rate", "deny", "rstr"):
        f["stratum"] = 0
        f["leap"] = 3
        f["refid"] = kind.upper().encode()
    elif kind != "good":
        raise SystemExit("unknown answer kind %r" % kind)
    f["xmt"] = ntp_now()
    return pack(**f)


def serve(args):
    script = [k for k in args.script.split(",") if k]
    s = socket.socket(family_of(args.addr), socket.SOCK_DGRAM)
    s.bind((args.addr, 123))
    prev, n = None, 0
    while True:
        r, _, _ = select.select([s], [], [], args.timeout)
        if not r:
            print("idle")
            return 0
        data, peer = s.recvfrom(2048)
        if len(data) < 48:
            continue
        req = unpack(data)
        if req["mode"] != 3:
            continue
        n += 1
        kind = script[n - 1] if n <= len(script) else "good"
        print("request %d" % n, flush=True)
        pkt = reply_for(kind, req, prev)
        if pkt is not None:
            s.sendto(pkt, peer)
            prev = pkt
        print("answer %d %s" % (n, kind), flush=True)


# --- the clock subcommand ---------------------------------------------------
# Kernel timestamps for its interleaved mode. Python's socket module has
# none of these names: values from <asm-generic/socket.h> (x86_64 and most
# 64-bit ABIs: SO_TIMESTAMPING_OLD, 64-bit timespecs), <linux/net_tstamp.h>,
# <linux/in.h>, <linux/in6.h> and <linux/errqueue.h>.
SO_TIMESTAMPING = 37
SCM_TIMESTAMPING = SO_TIMESTAMPING
SOF_TIMESTAMPING_TX_SOFTWARE = 1 << 1
SOF_TIMESTAMPING_RX_SOFTWARE = 1 << 3
SOF_TIMESTAMPING_SOFTWARE = 1 << 4
SOF_TIMESTAMPING_OPT_ID = 1 << 7
SOF_TIMESTAMPING_OPT_TSONLY = 1 << 11
IP_RECVERR = 11
IPV6_RECVERR = 25
SO_EE_ORIGIN_TIMESTAMPING = 4
# struct scm_timestamping: three timespecs (software, legacy, hardware).
SCM_TS = struct.Struct("@qqqqqq")
# struct sock_extended_err: ee_errno, ee_origin, ee_type, ee_code, ee_pad,
# ee_info, ee_data (with OPT_ID: the packet's key).
EXTENDED_ERR = struct.Struct("=IBBBBII")
ANC_SPACE = 256  # bytes of ancillary data: ample for both messages
XLEAVE_KEEP = 1024  # answers kept for interleaved requests (oldest dropped)


def scm_stamp(ancdata):
    """The software stamp (CLOCK_REALTIME ns) of an SCM_TIMESTAMPING."""
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPING and \
                len(data) >= SCM_TS.size:
            sec, nsec = SCM_TS.unpack_from(data)[:2]
            if sec or nsec:
                return sec * 1_000_000_000 + nsec
    return None


class Kept:
    """An answer to a request in interleaved form, kept for the next."""
    __slots__ = ("addr", "t3", "stamped", "basic", "lead")

    def __init__(self, addr, t3, basic=False):
        self.addr = addr  # the client's IP address
        self.t3 = t3  # its transmit time, UTC ns: written, then the stamp
        self.stamped = False  # t3 is the kernel's stamp
        self.basic = basic  # a basic answer: its stamp only measures us
        self.lead = 0  # ns the written t3 was put ahead of the time read


class ClockSocket:
    """One ADDR of the clock subcommand: its socket and transmit stamps."""

    def __init__(self, addr, li):
        self.li = li
        self.sock = socket.socket(family_of(addr), socket.SOCK_DGRAM)
        self.sock.bind((addr, 123))
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                             SOF_TIMESTAMPING_TX_SOFTWARE |
                             SOF_TIMESTAMPING_RX_SOFTWARE |
                             SOF_TIMESTAMPING_SOFTWARE |
                             SOF_TIMESTAMPING_OPT_ID |
                             SOF_TIMESTAMPING_OPT_TSONLY)
        self.sent = 0  # packets sent: the OPT_ID key of the next one
        self.pending = {}  # key -> Kept whose stamp has not come yet
        self.stamped = {}  # keys whose stamp came (the last XLEAVE_KEEP)

    def sendto(self, pkt, peer, kept=None):
        """Send pkt; kept (if any) gets the driver's stamp when it comes."""
        self.sock.sendto(pkt, peer)
        if kept is not None:
            self.pending[self.sent] = kept
            if len(self.pending) > XLEAVE_KEEP:
                del self.pending[next(iter(self.pending))]
        self.sent = (self.sent + 1) & 0xFFFFFFFF

    def stamps(self):
        """The transmit stamps in the error queue: (key, CLOCK_REALTIME ns)."""
        while True:
            try:
                _, anc, _, _ = self.sock.recvmsg(
                    64, ANC_SPACE, socket.MSG_ERRQUEUE | socket.MSG_DONTWAIT)
            except (BlockingIOError, InterruptedError):
                return
            key = None
            for level, kind, data in anc:
                if (level, kind) in ((socket.IPPROTO_IP, IP_RECVERR),
                                     (socket.IPPROTO_IPV6, IPV6_RECVERR)) \
                        and len(data) >= EXTENDED_ERR.size:
                    e = EXTENDED_ERR.unpack_from(data)
                    if e[1] == SO_EE_ORIGIN_TIMESTAMPING:
                        key = e[6]
            stamp = scm_stamp(anc)
            if key is not None and stamp is not None:
                yield key, stamp


def clock(args):
    """A server with an exact clock of its own, leap seconds, xleave."""
    sec = 1_000_000_000
    raw, real = time.CLOCK_MONOTONIC_RAW, time.CLOCK_REALTIME
    # Our clock starts as the system clock, read between two reads of
    # CLOCK_MONOTONIC_RAW: the closest pair of five (under TCG, two reads
    # in a row were seen 0.3 ms apart).
    best = None
    for _ in range(5):
        r1 = time.clock_gettime_ns(raw)
        rt = time.clock_gettime_ns(real)
        r2 = time.clock_gettime_ns(raw)
        if best is None or r2 - r1 < best[0]:
            best = (r2 - r1, rt, r1 + (r2 - r1) // 2)
    _, start_utc, raw0 = best
    leap_ns = args.leap_at * sec if args.leap else None
    # Uniform time u; UTC is u before the leap, u - 1 s after an inserted
    # second (from L on), u + 1 s after a deleted one (from L - 1 s on).
    if args.leap == "add":
        jump_at, jump, default_li = leap_ns, -sec, 1
    elif args.leap == "del":
        jump_at, jump, default_li = leap_ns - sec if leap_ns else 0, sec, 2
    else:
        jump_at, jump, default_li = None, 0, 0

    def utc(u):
        """UTC at uniform time u, ns; and whether the leap is still ahead."""
        if jump_at is not None and u >= jump_at:
            return u + jump, False
        return u, jump_at is not None and u >= leap_ns - 86400 * sec

    def now():
        return utc(start_utc + time.clock_gettime_ns(raw) - raw0)

    def of_realtime(stamp):
        """UTC of our clock at the CLOCK_REALTIME time stamp, ns.

        The kernel stamps packets on CLOCK_REALTIME, which a daemon here
        may be disciplining: our clock now, less how long ago the stamp
        was on CLOCK_REALTIME (microseconds: the two rates' difference
        over that span is nothing).
        """
        r1 = time.clock_gettime_ns(raw)
        rt = time.clock_gettime_ns(real)
        r2 = time.clock_gettime_ns(raw)
        return utc(start_utc + (r1 + r2) // 2 - raw0 - (rt - stamp))[0]

    socks = {}
    for spec in args.addrs:
        addr, _, li = spec.partition("=")
        cs = ClockSocket(addr, int(li) if li else default_li)
        socks[cs.sock.fileno()] = cs
    # Answers to requests in interleaved form, by their receive field (odd,
    # so no basic answer's transmit field, even, is ever taken for one).
    kept = {}
    st = dict(requests=0, interleaved=0, xleave_basic=0, tx_stamps=0,
              tx_dup=0, unstamped=0, rx_user=0)
    lags = []  # basic answers: their stamp less their written time, ns
    # ... and less the time read before sending them, the last LEAD_OF
    LEAD_OF = 33
    recent = collections.deque(maxlen=LEAD_OF)

    def take_stamps(cs):
        for key, stamp in cs.stamps():
            k = cs.pending.pop(key, None)
            if k is not None:
                if k.basic:
                    t = of_realtime(stamp)
                    lags.append(t - k.t3)
                    recent.append(t - (k.t3 - k.lead))
                else:
                    k.t3, k.stamped = of_realtime(stamp), True
                    st["tx_stamps"] += 1
                cs.stamped[key] = True
                if len(cs.stamped) > XLEAVE_KEEP:
                    del cs.stamped[next(iter(cs.stamped))]
            elif key in cs.stamped:
                # Stamped again: the packet left through another
                # device of this kernel (a bridge's port in another
                # namespace) still ours. The first stamp is when it
                # left our namespace.
                st["tx_dup"] += 1

    def answer(cs):
        try:
            data, anc, _, peer = cs.sock.recvmsg(2048, ANC_SPACE,
                                                 socket.MSG_DONTWAIT)
        except (BlockingIOError, InterruptedError):
            return
        t2, _ = now()
        if len(data) < 48:
            return
        req = unpack(data)
        if req["mode"] != 3:
            return
        st["requests"] += 1
        # RFC 9769 sec. 2: a request in interleaved form (a basic client's
        # origin is 0 or our even transmit field).
        xform = (req["version"] == 4 and req["org"] & 1 and
                 req["rec"] != req["xmt"])
        # The kernel's receive stamp, as a real server's: read here, the
        # receive time would carry our wakeup (a positive offset of half
        # of it, with a long tail) and no transmit time offsets that.
        rx = scm_stamp(anc)
        if rx is not None:
            t2 = of_realtime(rx)
        else:
            st["rx_user"] += 1
        take_stamps(cs)
        org, xmt, prev = req["xmt"], None, None
        if xform:
            prev = kept.get(req["org"])
            if prev is not None and prev.addr == peer[0]:
                del kept[req["org"]]  # given out once only
                org, xmt = req["rec"], to_ntp(prev.t3) & ~1
                st["interleaved"] += 1
                st["unstamped"] += not prev.stamped
            else:
                st["xleave_basic"] += 1
        u, ahead = now()
        rec = to_ntp(t2) | 1
        pkt = bytearray(pack(leap=cs.li if ahead else 0,
                             version=req["version"], mode=4, stratum=1,
                             poll=req["poll"], precision=-20, root_delay=0,
                             root_disp=0x0010, refid=b"TRUE",
                             ref=to_ntp(u - sec), org=org, rec=rec,
                             xmt=xmt or 0))
        k = Kept(peer[0], u, basic=not xform)
        if xform:
            kept[rec] = k
            if len(kept) > XLEAVE_KEEP:
                del kept[next(iter(kept))]
        if xmt is None and recent and args.basic_lead:
            k.lead = sorted(recent)[len(recent) // 2]
        # The transmit time last, then straight out; a basic one put ahead
        # by how long our answers take from here to the driver (median of
        # the last LEAD_OF, from their stamps): under TCG this interpreter
        # takes hundreds of microseconds to get a packet out, which a basic
        # client's offset would otherwise carry (half of it, low).
        k.t3 = now()[0] + k.lead
        if xmt is None:
            XMT.pack_into(pkt, XMT_AT, to_ntp(k.t3) & ~1)
        cs.sendto(pkt, peer, k)

    if args.base_file:
        with open(args.base_file + ".tmp", "w") as f:
            f.write("%d %d\n" % (start_utc, raw0))
        os.rename(args.base_file + ".tmp", args.base_file)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    poller = select.poll()
    for fd in socks:
        poller.register(fd, select.POLLIN)  # and POLLERR, always
    print("ready", flush=True)
    end = time.monotonic() + args.seconds
    try:
        while time.monotonic() < end:
            for fd, ev in poller.poll(1000):
                if ev & select.POLLERR:
                    take_stamps(socks[fd])
                if ev & select.POLLIN:
                    answer(socks[fd])
    finally:
        lags.sort()
        st["t3_lag_n"] = len(lags)
        if lags:
            st["t3_lag_min_ns"] = lags[0]
            st["t3_lag_p50_ns"] = lags[len(lags) // 2]
            st["t3_lag_ns"] = sum(lags) // len(lags)
            st["t3_lag_max_ns"] = lags[-1]
        print("stats " + " ".join("%s=%d" % kv for kv in st.items()),
              flush=True)
    return 0


def flood(args):
    s = socket.socket(family_of(args.addr), socket.SOCK_DGRAM)
    s.setblocking(False)
    dest = socket.getaddrinfo(args.addr, 123, family_of(args.addr),
                              socket.SOCK_DGRAM)[0][4]
    sent = replies = errors = 0
    start = time.monotonic()
    end = start + args.seconds
    while time.monotonic() < end:
        if args.rate and sent >= (time.monotonic() - start) * args.rate:
            time.sleep(1.0 / args.rate)
        try:
            s.sendto(pack(xmt=ntp_now()), dest)
            sent += 1
        except OSError:
            errors += 1
            time.sleep(0.01)
        while True:
            try:
                s.recv(2048)
                replies += 1
            except OSError:
                break
    print("sent=%d replies=%d errors=%d" % (sent, replies, errors))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("query")
    q.add_argument("addr")
    q.add_argument("--port", type=int, default=123)
    q.add_argument("--mode", type=int, default=3)
    q.add_argument("--version", type=int, default=4)
    q.add_argument("--len", type=int)
    q.add_argument("--raw")
    q.add_argument("--zero-xmt", action="store_true")
    q.add_argument("--timeout", type=float, default=1.0)
    q.add_argument("--broadcast", action="store_true")
    q.add_argument("--count", type=int)
    q.add_argument("--fragment", action="store_true")
    tp = sub.add_parser("tap")
    tp.add_argument("iface")
    tp.add_argument("--wait", type=float, default=30.0)
    sv = sub.add_parser("serve")
    sv.add_argument("addr")
    sv.add_argument("script")
    sv.add_argument("--timeout", type=float, default=10.0)
    fl = sub.add_parser("flood")
    fl.add_argument("addr")
    fl.add_argument("--seconds", type=float, default=10.0)
    fl.add_argument("--rate", type=float, default=0)
    ck = sub.add_parser("clock")
    ck.add_argument("addrs", nargs="+")
    ck.add_argument("--leap", choices=("add", "del"))
    ck.add_argument("--leap-at", type=int, default=0)
    ck.add_argument("--seconds", type=float, default=600.0)
    ck.add_argument("--base-file")
    ck.add_argument("--basic-lead", action="store_true")
    args = p.parse_args()
    if args.cmd == "clock" and args.leap and args.leap_at <= 0:
        p.error("--leap needs --leap-at")
    return {"query": query, "serve": serve, "flood": flood,
            "clock": clock, "tap": tap}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
