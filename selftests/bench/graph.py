#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a server's receive softirq spends its time, from ftrace's
function_graph (make bench-server's profile: under TCG perf's samples land
in the idle loop, a function graph's durations do not depend on sampling).

    graph.py TRACE [--per FUNC] [--depth N] [--top N]

TRACE: the function_graph tracer's output for one CPU, graphed from
net_rx_action (selftests/bench/server_guest.sh). Prints, for the call tree
folded by path, each node's total inclusive time divided by the number of
calls of FUNC (default kntp_proto_rcv: us per request), down to --depth
levels and the --top children of each node, with its calls per request.
The tracer's own cost is in every figure (each traced call pays for two
hooks), so a function with many small calls looks dearer than it is;
shares between siblings are what to read.
"""
import argparse
import re
import sys
from collections import defaultdict

# " 0)               |  net_rx_action() {"
# " 0)   0.512 us    |    kfree_skb();"
# " 0) + 12.345 us   |  } /* net_rx_action */"
# Interrupts that happen to land inside a call: not its cost.
NOISE = {"__sysvec_apic_timer_interrupt", "irq_enter_rcu", "irq_exit_rcu",
         "__sysvec_call_function_single", "__sysvec_reschedule_ipi"}
LINE = re.compile(r"^\s*\d+\)\s+(?:[+!#*@$]\s*)?(?:([\d.]+) us\s+)?\|(\s*)(.*)$")


def name(body):
    """The function's name: "kntp_proto_rcv [kntp]() {" -> kntp_proto_rcv."""
    return body.split("(")[0].split(" [")[0].strip()


def parse(path):
    tot = defaultdict(float)	# path tuple -> us
    calls = defaultdict(int)	# path tuple -> calls
    stack = []
    with open(path, errors="replace") as f:
        for line in f:
            m = LINE.match(line)
            if not m:
                continue
            dur, body = m.group(1), m.group(3).strip()
            if body.endswith("{"):		# entry of a call with children
                stack.append(name(body))
                calls[tuple(stack)] += 1
            elif body.startswith("}"):		# its exit, with its duration
                if stack and dur:
                    tot[tuple(stack)] += float(dur)
                if stack:
                    stack.pop()
            elif body.endswith(";") and dur:	# a leaf call
                p = tuple(stack + [name(body)])
                tot[p] += float(dur)
                calls[p] += 1
    return tot, calls


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("trace")
    ap.add_argument("--per", default="kntp_proto_rcv")
    ap.add_argument("--depth", type=int, default=7)
    ap.add_argument("--top", type=int, default=6)
    ap.add_argument("--root", help="show the tree from this function down")
    a = ap.parse_args()
    tot, calls = parse(a.trace)
    # Per call of --per, counted before any re-rooting drops it from the paths.
    n = sum(c for p, c in calls.items() if p[-1] == a.per)
    if a.root:
        # Re-root every path through FUNC at it (paths above it merged).
        rt, rc = defaultdict(float), defaultdict(int)
        for d, out in ((tot, rt), (calls, rc)):
            for p, v in d.items():
                if a.root in p:
                    out[p[p.index(a.root):]] += v
        tot, calls = rt, rc
    if not n or not tot:
        print("no call of %s in %s" % (a.per if not n else a.root, a.trace))
        return 1
    kids = defaultdict(list)
    for p in tot:
        if len(p) > 1:
            kids[p[:-1]].append(p)
    roots = [p for p in tot if len(p) == 1]
    print("%d calls of %s; us per call of it, inclusive (calls per call of it):" % (n, a.per))

    def show(p, indent):
        print("%s%-*s %8.2f  (%.2f)" % ("  " * indent, 44 - 2 * indent, p[-1],
                                        tot[p] / n, calls[p] / n))
        if len(p) >= a.depth:
            return
        for c in sorted((c for c in kids[p] if c[-1] not in NOISE),
                        key=lambda c: -tot[c])[:a.top]:
            show(c, indent + 1)

    # The roots that matter (a trace starts in the middle of other calls).
    big = max(tot[r] for r in roots)
    for r in sorted(roots, key=lambda r: -tot[r]):
        if tot[r] >= big / 20:
            show(r, 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
