#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""The report of the T3-error benchmark (scripts/bench-t3err.sh).

    t3err_report.py ROW.json... [--md OUT] [--json OUT] [--intro TEXT]...
                                [--note TEXT]...

ROW.json: one run of selftests/ntp_t3err.py --json with "server" and
"netem_ms" added (selftests/bench/t3err_guest.sh), or {"server", "mode",
"netem_ms", "status"} for a row that did not run. Prints a markdown table
(server x mode x netem: requests, answers, interleaved share, samples n,
median, p90, max and mean of the T3 error, median delay; all in us) and
writes it to OUT (--md) and the rows as one JSON list (--json). A row in
interleaved mode shows the figures of its interleaved answers; when there
were none, its basic answers' median is given in the note column. Each
--intro is a paragraph before the table, each --note a bullet after it.

Only the Python standard library.
"""
import argparse
import json
import sys

ORDER = {"kntp": 0, "chronyd": 1, "basic": 0, "xleave": 1}


def key(r):
    return (ORDER.get(r["server"], 9), r["server"], ORDER.get(r["mode"], 9),
            r["mode"], r["netem_ms"])


def num(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        return "%.1f" % x if abs(x) < 1e5 else "%.0f" % x
    return str(x)


def line(r):
    mode = "interleaved" if r["mode"] == "xleave" else r["mode"]
    netem = "%g ms" % r["netem_ms"]
    if r.get("status", "ok") != "ok":
        return "| %s | %s | %s |%s %s |" % (r["server"], mode, netem,
                                           " - |" * 9, r["status"])
    kind = "interleaved" if r["mode"] == "xleave" else "basic"
    f = r.get(kind, {"n": 0})
    share = r["interleaved_replies"] / r["replies"] if r["replies"] else 0
    note = []
    if r["replies"] < r["requests"]:
        note.append("%d unanswered" % (r["requests"] - r["replies"]))
    if r.get("bad") or r.get("late_or_stray"):
        note.append("%d bad, %d late or stray" % (r.get("bad", 0), r.get("late_or_stray", 0)))
    if kind == "interleaved" and f["n"] == 0 and r["basic"]["n"]:
        note.append("no interleaved answers; basic ones: median %s us"
                    % num(r["basic"]["median_us"]))
    return "| %s | %s | %s | %d | %d | %.1f %% | %d | %s | %s | %s | %s | %s | %s |" % (
        r["server"], mode, netem, r["requests"], r["replies"], 100 * share,
        f["n"], num(f.get("median_us")), num(f.get("p90_us")),
        num(f.get("max_us")), num(f.get("mean_us")),
        num(f.get("delay_median_us")), "; ".join(note))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("rows", nargs="*")
    p.add_argument("--md")
    p.add_argument("--json")
    p.add_argument("--intro", action="append", default=[])
    p.add_argument("--note", action="append", default=[])
    args = p.parse_args()
    rows = []
    for path in args.rows:
        with open(path) as f:
            rows.append(json.load(f))
    rows.sort(key=key)
    out = []
    for t in args.intro:
        out += [t, ""]
    out += ["| server | mode | netem | requests | answers | interleaved "
           "| n | median us | p90 us | max us | mean us | delay median us | note |",
           "|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    out += [line(r) for r in rows]
    out += [""] + ["- " + n for n in args.note]
    text = "\n".join(out).rstrip() + "\n"
    sys.stdout.write(text)
    if args.md:
        with open(args.md, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
