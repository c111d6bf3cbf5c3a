#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The system clock's error against the clock of ntp_pkt.py clock, exactly.

That server's clock is START_UTC + CLOCK_MONOTONIC_RAW - RAW0 (ns), both
written by it to its --base-file; nothing disciplining the system clock
moves CLOCK_MONOTONIC_RAW. The error of the system clock is then
CLOCK_REALTIME - (START_UTC + CLOCK_MONOTONIC_RAW - RAW0), with both clocks
read back to back (CLOCK_MONOTONIC_RAW before and after, averaged; the
closest of five such readings).

    truth.py now BASE
        Print the error now, s.
    truth.py set BASE OFFSET
        Set the system clock to the server's clock + OFFSET s.
    truth.py sample BASE OUT --seconds S [--interval I]
        Every I s (default 1, on CLOCK_MONOTONIC_RAW) for S s, append
        "T ERROR_NS" to OUT, T in s from the first sample.

Only the Python standard library.
"""
import argparse
import sys
import time

RAW = time.CLOCK_MONOTONIC_RAW
REAL = time.CLOCK_REALTIME


def read_base(path):
    with open(path) as f:
        start_utc, raw0 = (int(x) for x in f.read().split()[:2])
    return start_utc, raw0


def error_ns(base, tries=5):
    """(CLOCK_MONOTONIC_RAW at the reading, the system clock's error), ns.

    Of TRIES readings, the one whose two CLOCK_MONOTONIC_RAW reads are
    closest: a vCPU descheduled between two reads (milliseconds under TCG
    on a busy host) would put the truth half that far off.
    """
    start_utc, raw0 = base
    best = None
    for _ in range(tries):
        r1 = time.clock_gettime_ns(RAW)
        rt = time.clock_gettime_ns(REAL)
        r2 = time.clock_gettime_ns(RAW)
        if best is None or r2 - r1 < best[0]:
            best = (r2 - r1, r1, rt)
    span, r1, rt = best
    raw = r1 + span // 2
    return raw, rt - (start_utc + raw - raw0)


def now(args):
    _, err = error_ns(read_base(args.base))
    print("%.9f" % (err / 1e9))
    return 0


def set_clock(args):
    start_utc, raw0 = read_base(args.base)
    off = round(args.offset * 1e9)
    truth = start_utc + time.clock_gettime_ns(RAW) - raw0
    time.clock_settime_ns(REAL, truth + off)
    return 0


def sample(args):
    base = read_base(args.base)
    step = round(args.interval * 1e9)
    t0 = None
    with open(args.out, "w") as f:
        while True:
            raw, err = error_ns(base)
            if t0 is None:
                t0 = nxt = raw
            t = (raw - t0) / 1e9
            f.write("%.3f %d\n" % (t, err))
            f.flush()
            if t >= args.seconds:
                break
            nxt += step
            while nxt <= time.clock_gettime_ns(RAW):
                nxt += step	# fell behind: skip, do not catch up
            time.sleep(max(0, nxt - time.clock_gettime_ns(RAW)) / 1e9)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    n = sub.add_parser("now")
    n.add_argument("base")
    s = sub.add_parser("set")
    s.add_argument("base")
    s.add_argument("offset", type=float)
    sm = sub.add_parser("sample")
    sm.add_argument("base")
    sm.add_argument("out")
    sm.add_argument("--seconds", type=float, required=True)
    sm.add_argument("--interval", type=float, default=1.0)
    args = p.parse_args()
    return {"now": now, "set": set_clock, "sample": sample}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
