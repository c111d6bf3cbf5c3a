#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Figures of the accuracy benchmark (scripts/bench-accuracy.sh).

    report.py row SAMPLES --daemon D --poll P --mode M [--skip S]
                  [--server-stats "requests=N interleaved=N ..."]
                  [--path PATH.json]
        One row's figures, as JSON on stdout, from the "T ERROR_NS" lines
        of selftests/bench/truth.py sample: time to 1 ms (from when |error|
        stays below 1 ms to the end; null: never), and over the samples
        after the first S s (default 120): RMS, max |error|, mean (bias),
        p50 and p90 of |error|. With --server-stats (the "stats" line of
        ntp_pkt.py clock), its counts as "server"; an interleaved row whose
        server answered nothing interleaved has status "not interleaved".
        With --path (tap.py path), the path's own asymmetry as "path".
    report.py table ROW.json... [--json OUT] [--txt OUT] [--note TEXT]...
        The rows as a text table (stdout, and OUT), with the ratio
        kntp/chronyd of RMS and max for each mode and poll; all as JSON.

Only the Python standard library.
"""
import argparse
import json
import math
import sys

MS = 1_000_000


def load(path):
    out = []
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) == 2:
                out.append((float(w[0]), int(w[1])))
    return out


def pct(sorted_vals, p):
    """The p-th percentile (nearest rank)."""
    if not sorted_vals:
        return None
    k = max(0, math.ceil(p / 100 * len(sorted_vals)) - 1)
    return sorted_vals[k]


def row(args):
    s = load(args.samples)
    r = {"daemon": args.daemon, "poll": args.poll, "mode": args.mode,
         "skip_s": args.skip, "samples": len(s), "status": "ok"}
    if not s:
        r["status"] = "no samples"
        print(json.dumps(r))
        return 0
    r["duration_s"] = s[-1][0]
    r["initial_error_ns"] = s[0][1]
    gaps = [b[0] - a[0] for a, b in zip(s, s[1:])]
    r["max_gap_s"] = round(max(gaps), 3) if gaps else 0
    # Time to 1 ms: the first sample after the last one at 1 ms or more.
    last_bad = None
    for i, (_, e) in enumerate(s):
        if abs(e) >= MS:
            last_bad = i
    if last_bad is None:
        r["time_to_1ms_s"] = 0.0
    elif last_bad == len(s) - 1:
        r["time_to_1ms_s"] = None
    else:
        r["time_to_1ms_s"] = s[last_bad + 1][0]
    if args.server_stats:
        r["server"] = {k: int(v) for k, _, v in
                       (w.partition("=") for w in args.server_stats.split())}
        if args.mode == "interleaved" and not r["server"].get("interleaved"):
            r["status"] = "not interleaved"
    if args.path:
        try:
            with open(args.path) as f:
                r["path"] = json.load(f)
        except (OSError, ValueError) as e:
            r["path"] = {"error": str(e)}
    tail = [e for t, e in s if t >= args.skip]
    r["tail_samples"] = len(tail)
    if tail:
        a = sorted(abs(e) for e in tail)
        r["rms_ns"] = round(math.sqrt(sum(e * e for e in tail) / len(tail)))
        r["max_abs_ns"] = a[-1]
        r["mean_ns"] = round(sum(tail) / len(tail))
        r["p50_abs_ns"] = pct(a, 50)
        r["p90_abs_ns"] = pct(a, 90)
    print(json.dumps(r))
    return 0


def us(ns, sign=False):
    if ns is None:
        return "-"
    return ("%+.0f" if sign else "%.0f") % (ns / 1000)


def ttime(r):
    if r.get("status") != "ok" or "time_to_1ms_s" not in r:
        return "-"
    t = r["time_to_1ms_s"]
    return "never" if t is None else "%.0f s" % t


def table(args):
    rows = []
    for p in args.rows:
        with open(p) as f:
            rows.append(json.load(f))
    order = {"basic": 0, "interleaved": 1}
    dorder = {"kntp": 0, "chronyd": 1}
    rows.sort(key=lambda r: (order.get(r["mode"], 9), r["poll"],
                             dorder.get(r["daemon"], 9)))
    ratios = []
    keys = []
    for r in rows:
        k = (r["mode"], r["poll"])
        if k not in keys:
            keys.append(k)
    for mode, poll in keys:
        by = {r["daemon"]: r for r in rows
              if r["mode"] == mode and r["poll"] == poll}
        k, c = by.get("kntp"), by.get("chronyd")
        if not (k and c and k.get("rms_ns") and c.get("rms_ns")):
            continue
        ratios.append({"mode": mode, "poll": poll,
                       "rms": round(k["rms_ns"] / c["rms_ns"], 2),
                       "max": round(k["max_abs_ns"] / c["max_abs_ns"], 2)
                       if c.get("max_abs_ns") else None})
    hdr = ("%-11s %4s %-8s %5s %8s %8s %8s %8s %8s %8s %7s %6s %6s  %s" %
           ("mode", "poll", "daemon", "min", "to 1ms", "RMS", "max", "mean",
            "p50", "p90", "srv T3", "path", "own", "status"))
    skip = rows[0].get("skip_s", 120) if rows else 120
    lines = ["Error of the system clock against the truth, us; RMS, max, "
             "mean, p50, p90 after the first %g s of each row; \"to 1 ms\": "
             "from the daemon's start until |error| stays below 1 ms; mean "
             "> 0: the clock is ahead; \"srv T3\": how long after its "
             "written transmit time the server's basic answers left, median "
             "(a basic client's offset reads half of it low); \"path\": "
             "the set-up's share, half the difference of the one-way delays "
             "between the two ends' stamping points (packet taps, one "
             "clock), mean over the quarter of exchanges of least delay: "
             "the error a daemon measuring exactly there would settle at "
             "(\"own\": mean less path, the daemon's own bias)" % skip, "",
             hdr]
    for r in rows:
        srv = r.get("server", {})
        path = r.get("path", {}).get("asym_q1_ns")
        lines.append("%-11s %4s %-8s %5s %8s %8s %8s %8s %8s %8s %7s %6s %6s  %s" % (
            r["mode"], r["poll"], r["daemon"],
            "%.1f" % (r["duration_s"] / 60) if r.get("duration_s") else "-",
            ttime(r), us(r.get("rms_ns")), us(r.get("max_abs_ns")),
            us(r.get("mean_ns"), True), us(r.get("p50_abs_ns")),
            us(r.get("p90_abs_ns")),
            us(srv.get("t3_lag_p50_ns"))
            if r["mode"] == "basic" and srv.get("t3_lag_n") else "-",
            us(path, True),
            us(r["mean_ns"] - path, True)
            if path is not None and "mean_ns" in r else "-",
            r.get("status", "?")))
        ratio = [x for x in ratios
                 if (x["mode"], x["poll"]) == (r["mode"], r["poll"])]
        if ratio and r["daemon"] == "chronyd":
            x = ratio[0]
            lines.append("%-11s %4s %-8s kntp/chronyd: RMS %.2f, max %s" % (
                "", "", "", x["rms"],
                "%.2f" % x["max"] if x["max"] is not None else "-"))
    for n in args.note or []:
        lines.append("note: " + n)
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.txt:
        with open(args.txt, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "ratios_kntp_over_chronyd": ratios,
                       "notes": args.note or []}, f, indent=1)
            f.write("\n")
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("row")
    r.add_argument("samples")
    r.add_argument("--daemon", required=True)
    r.add_argument("--poll", type=int, required=True)
    r.add_argument("--mode", default="basic")
    r.add_argument("--skip", type=float, default=120.0)
    r.add_argument("--server-stats")
    r.add_argument("--path")
    t = sub.add_parser("table")
    t.add_argument("rows", nargs="*")
    t.add_argument("--json")
    t.add_argument("--txt")
    t.add_argument("--note", action="append")
    args = p.parse_args()
    return {"row": row, "table": table}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
