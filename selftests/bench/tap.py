#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The path's own asymmetry in the accuracy benchmark, from packet taps.

A daemon that zeroes its measured offset leaves its clock ahead of the
server by half the difference of the two one-way delays between its
stamping points: (d_out - d_back) / 2. In the benchmark's guest both ends
stamp on one CLOCK_REALTIME, so both delays can be read off directly: a
tap on the client's interface and one on the server's see every NTP
packet, each stamped by the kernel on that clock (a received packet: the
stamp the sockets get, taken where it entered the backlog; a sent one:
taken just before the driver's transmit, where the daemons' own transmit
stamps are a moment later at both ends, which cancels in the difference).
A packet's bytes name it at both taps.
This is the set-up's own share of a daemon's mean error (both daemons sit
on the same path), apart from what the daemon makes of its stamps.

    tap.py record IFNAME OUT
        Until killed, append "MONO_NS STAMP_NS in|out PAYLOAD_HEX" to OUT for
        every UDP packet to or from port 123 on IFNAME (in this process's
        network namespace); MONO_NS: CLOCK_MONOTONIC_RAW when it was read.
    tap.py path CLIENT_TAP SERVER_TAP [--skip S]
        JSON on stdout, of the exchanges seen whole at both taps (request
        out and in, answer out and in), leaving out those of the first S s
        (default 120): their round-trip delay between the stamping points
        (median, least) and the error their asymmetry alone leaves a daemon
        that measures exactly there, ((T2 - T1) - (T4 - T3)) / 2 with the
        clock ahead positive: mean ("asym_ns"), median, and the mean over
        the quarter of least delay ("asym_q1_ns": the exchanges a clock
        filter prefers).

Only the Python standard library.
"""
import argparse
import json
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
ETH_P_IP = 0x0800
PACKET_OUTGOING = 4	# <linux/if_packet.h>
SO_TIMESTAMPNS = 35	# <asm-generic/socket.h>, SO_TIMESTAMPNS_OLD
NTP_PORT = 123


def ntp_payload(frame):
    """The UDP payload of an IPv4 frame to or from port 123, or None."""
    if len(frame) < 14 + 20 + 8 or struct.unpack_from("!H", frame, 12)[0] != ETH_P_IP:
        return None
    ihl = (frame[14] & 0x0f) * 4
    if frame[14 + 9] != socket.IPPROTO_UDP or len(frame) < 14 + ihl + 8:
        return None
    sport, dport = struct.unpack_from("!HH", frame, 14 + ihl)
    if NTP_PORT not in (sport, dport):
        return None
    return frame[14 + ihl + 8:]


def record(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((args.ifname, 0))
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
    with open(args.out, "w") as f:
        while True:
            # 16 bytes: struct timespec, two longs
            data, anc, _, addr = s.recvmsg(2048, socket.CMSG_SPACE(16))
            mono = time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW)
            pl = ntp_payload(data)
            if pl is None:
                continue
            stamp = None
            for level, kind, val in anc:
                if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                    sec, nsec = struct.unpack("qq", val[:16])
                    stamp = sec * 1_000_000_000 + nsec
            if stamp is None:
                continue
            f.write("%d %d %s %s\n" % (mono, stamp,
                                       "out" if addr[2] == PACKET_OUTGOING else "in",
                                       pl.hex()))
            f.flush()


def load(path):
    """[(stamp_ns, mono_ns, direction, payload)], in the order seen."""
    out = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 4:
                out.append((int(w[1]), int(w[0]), w[2], w[3]))
    return out


def exchanges(client, server):
    """(mono_ns, T1, T2, T3, T4) of every exchange seen whole at both taps.

    The server answers one request at a time: its answer is the packet it
    sends after the request it received last.
    """
    c = {(d, pl): (stamp, mono) for stamp, mono, d, pl in client}
    out, req = [], None
    for stamp, _, d, pl in sorted(server):
        if d == "in":
            req = (stamp, pl)
        elif req is not None:
            t1, t4 = c.get(("out", req[1])), c.get(("in", pl))
            if t1 and t4:
                out.append((t1[1], t1[0], req[0], stamp, t4[0]))
            req = None
    return out


def path(args):
    ex = exchanges(load(args.client), load(args.server))
    t0 = min((e[0] for e in ex), default=0)
    ex = [e for e in ex if e[0] - t0 >= args.skip * 1e9]
    # Each exchange's round-trip delay between the stamping points and
    # the offset error its asymmetry alone gives: ((T2 - T1) - (T4 - T3)) / 2.
    m = sorted(((t4 - t1) - (t3 - t2), ((t2 - t1) - (t4 - t3)) / 2)
               for _, t1, t2, t3, t4 in ex)
    r = {"skip_s": args.skip, "exchanges": len(m)}
    if m:
        asym = sorted(a for _, a in m)
        best = [a for _, a in m[:max(1, len(m) // 4)]]
        r["delay_p50_ns"] = m[len(m) // 2][0]
        r["delay_min_ns"] = m[0][0]
        r["asym_ns"] = round(sum(asym) / len(asym))
        r["asym_p50_ns"] = round(asym[len(asym) // 2])
        r["asym_q1_ns"] = round(sum(best) / len(best))
    print(json.dumps(r))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("record")
    r.add_argument("ifname")
    r.add_argument("out")
    a = sub.add_parser("path")
    a.add_argument("client")
    a.add_argument("server")
    a.add_argument("--skip", type=float, default=120.0)
    args = p.parse_args()
    return {"record": record, "path": path}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
