#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""A server's transmit-timestamp (T3) error, measured the ntpperf way.

    ntp_t3err.py ADDR (--basic | --xleave) [--count N] [--interval S]
                      [--timeout S] [--port P] [--json] [--samples FILE]

The client and the server share one system clock (two network namespaces
of one host). For every answer, the server's transmit timestamp T3 is
compared with this socket's kernel receive timestamp of the packet that
carried it (SO_TIMESTAMPNS, taken when the packet entered our stack):

    error = rx_stamp - T3        (both on the one clock; ns, printed in us)

--basic  Every request is basic (origin 0, receive 0). T3 is the time the
         server wrote before it sent the answer, so the error holds all
         that lies between that write and the wire, in the server's host.
--xleave Interleaved client (RFC 9769, as chronyd does it): request k >= 2
         carries origin = the receive field of answer k-1 (the server's
         T2), receive = our receive timestamp of answer k-1 (as NTP),
         transmit = now. An answer whose origin is our transmit field is
         basic; one whose origin is our receive field is interleaved, and
         its T3 is the server's transmit stamp of answer k-1: its error is
         rx_stamp(k-1) - T3(k). After a lost or bad answer the next
         request is basic again.

Answers are checked strictly: from ADDR:P, at least 48 bytes, mode 4,
origin equal to our transmit field (or our receive field, interleaved);
anything else is counted and dropped. The delay of each sample is
(T4 - T1) - (T3 - T2) with the timestamps of the exchange T3 belongs to
(T1: the time we wrote before sending; T4: our rx_stamp).

Output: "key=value" lines: requests, replies, interleaved_replies, bad
(dropped), late_or_stray (origin matches neither field), no_rx_stamp,
marked (answers whose receive field ends in bit 1 and transmit field in
bit 0, the RFC 9769 server marking); then for each kind of answer
(basic_, interleaved_) the number of samples n, the mean, median, p90,
min and max of the T3 error and the median delay, all in microseconds.
With --json, one object, each kind's figures an object of its own. With
--samples, every sample also goes to FILE as a line "K KIND ERROR_NS
DELAY_NS" (K: the request whose answer gave it). Only the Python
standard library.
"""
import argparse
import json
import math
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ntp_pkt import NTP_EPOCH_OFFSET, family_of, pack, to_ntp, unpack  # noqa: E402

# Not in Python's socket module: <asm-generic/socket.h> (x86_64 and most).
SO_TIMESTAMPNS = 35
SCM_TIMESTAMPNS = SO_TIMESTAMPNS
TIMESPEC = struct.Struct("@qq")  # struct timespec: tv_sec, tv_nsec
SEC = 1_000_000_000  # ns
ERA = 1 << 32  # s


def ntp_to_ns(ts, near_ns):
    """NTP timestamp as Unix ns, in the era nearest near_ns (Unix ns)."""
    sec = (ts >> 32) - NTP_EPOCH_OFFSET
    sec += round((near_ns // SEC - sec) / ERA) * ERA
    return sec * SEC + (((ts & 0xFFFFFFFF) * SEC + (1 << 31)) >> 32)


def rx_stamp(ancdata):
    """The kernel's receive timestamp (Unix ns) from recvmsg's ancdata."""
    for level, kind, data in ancdata:
        if level == socket.SOL_SOCKET and kind == SCM_TIMESTAMPNS and \
                len(data) >= TIMESPEC.size:
            s, ns = TIMESPEC.unpack_from(data)
            return s * SEC + ns
    return None


def pct(sorted_vals, p):
    """The p-th percentile (nearest rank)."""
    k = max(0, math.ceil(p / 100 * len(sorted_vals)) - 1)
    return sorted_vals[k]


def figures(errs, delays):
    """Statistics of a list of errors and delays (ns) in us."""
    if not errs:
        return {"n": 0}
    a = sorted(errs)
    us = lambda ns: round(ns / 1000, 3)  # noqa: E731
    return {"n": len(a), "mean_us": us(sum(a) / len(a)),
            "median_us": us(pct(a, 50)), "p90_us": us(pct(a, 90)),
            "min_us": us(a[0]), "max_us": us(a[-1]),
            "delay_median_us": us(pct(sorted(delays), 50))}


def run(args):
    fam = family_of(args.addr)
    dest = socket.getaddrinfo(args.addr, args.port, fam, socket.SOCK_DGRAM)[0][4]
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    # The kernel turns receive stamping on from a work item: give it a
    # moment before the first answer comes (s).
    time.sleep(0.1)

    st = {"requests": 0, "replies": 0, "interleaved_replies": 0, "bad": 0,
          "late_or_stray": 0, "no_rx_stamp": 0, "marked": 0}
    errs = {"basic": [], "interleaved": []}
    delays = {"basic": [], "interleaved": []}
    prev = None  # the last good answer: its rec field, our rx_ns and t1_ns
    log = open(args.samples, "w") if args.samples else None
    next_send = time.monotonic()
    for _ in range(args.count):
        delay_s = next_send - time.monotonic()
        if delay_s > 0:
            time.sleep(delay_s)
        next_send = time.monotonic() + args.interval
        if args.xleave and prev is not None:
            org, rec = prev["rec"], to_ntp(prev["rx_ns"])
        else:
            org = rec = 0
        t1_ns = time.time_ns()
        xmt = to_ntp(t1_ns)
        while xmt in (org, rec):  # the transmit field must be unique
            xmt += 1
        s.sendto(pack(version=4, mode=3, org=org, rec=rec, xmt=xmt), dest)
        st["requests"] += 1

        got = None
        deadline = time.monotonic() + args.timeout
        while got is None:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([s], [], [], left)[0]:
                break
            data, anc, _, src = s.recvmsg(2048, socket.CMSG_SPACE(TIMESPEC.size))
            if src[0] != dest[0] or src[1] != dest[1] or len(data) < 48:
                st["bad"] += 1
                continue
            f = unpack(data)
            if f["mode"] != 4:
                st["bad"] += 1
                continue
            if f["org"] == xmt:
                kind = "basic"
            elif rec and f["org"] == rec:
                kind = "interleaved"
            else:  # an answer to an earlier request, or forged
                st["late_or_stray"] += 1
                continue
            got = (kind, f, rx_stamp(anc))

        if got is None:
            prev = None
            continue
        kind, f, rx_ns = got
        st["replies"] += 1
        if f["rec"] & 1 and not f["xmt"] & 1:
            st["marked"] += 1
        if rx_ns is None:  # cannot happen with SO_TIMESTAMPNS set
            st["no_rx_stamp"] += 1
            prev = None
            continue
        t2 = ntp_to_ns(f["rec"], rx_ns)
        t3 = ntp_to_ns(f["xmt"], rx_ns)
        if kind == "basic":
            err, delay = rx_ns - t3, (rx_ns - t1_ns) - (t3 - t2)
        else:
            # T3 is the departure of answer k-1: pair it with that
            # exchange's T1, T2 (our origin field) and our rx stamp.
            st["interleaved_replies"] += 1
            p2 = ntp_to_ns(prev["rec"], rx_ns)
            err = prev["rx_ns"] - t3
            delay = (prev["rx_ns"] - prev["t1_ns"]) - (t3 - p2)
        errs[kind].append(err)
        delays[kind].append(delay)
        if log:
            log.write("%d %s %d %d\n" % (st["requests"], kind, err, delay))
        prev = {"rec": f["rec"], "rx_ns": rx_ns, "t1_ns": t1_ns}

    if log:
        log.close()
    out = dict(st, mode="xleave" if args.xleave else "basic", server=args.addr,
               basic=figures(errs["basic"], delays["basic"]),
               interleaved=figures(errs["interleaved"], delays["interleaved"]))
    if args.json:
        print(json.dumps(out))
        return 0
    for k, v in out.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                print("%s_%s=%s" % (k, k2, v2))
        else:
            print("%s=%s" % (k, v))
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("addr")
    m = p.add_mutually_exclusive_group(required=True)
    m.add_argument("--basic", action="store_true")
    m.add_argument("--xleave", action="store_true")
    p.add_argument("--count", type=int, default=20, help="requests")
    p.add_argument("--interval", type=float, default=0.2,
                   help="s from one request to the next")
    p.add_argument("--timeout", type=float, default=1.0,
                   help="s to wait for each answer")
    p.add_argument("--port", type=int, default=123)
    p.add_argument("--json", action="store_true")
    p.add_argument("--samples", metavar="FILE",
                   help='each sample as "K KIND ERROR_NS DELAY_NS"')
    args = p.parse_args()
    if args.count < 1 or args.interval < 0 or args.timeout <= 0:
        p.error("--count >= 1, --interval >= 0, --timeout > 0")
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
