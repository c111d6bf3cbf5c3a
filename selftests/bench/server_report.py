#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The report of make bench-server (scripts/bench-server.sh).

    server_report.py [--md OUT.md] [--json OUT.json] [--intro LINE]... SERVER.jsonl...

Each input is one server's runs, a JSON object per line, as
selftests/bench/server_guest.sh writes them. Prints a markdown table (and
writes it to OUT.md): per server the server-CPU microseconds per answer at
each fixed rate (the median of its rounds, and their range), their ratio
to chronyd's, and how many times cheaper than chronyd it was round by round
(chronyd's cost over its own in the same round: the median and the least
of those), the loss-free rate (and vCPU 0's busy share there, the
server's part) and what limited it, the turnaround T3 - T2 (p50/p99) and the
generator's own cost; then the floor rows (floor-tc, floor-udp: CPU 0's cost
per request sent when no server answers) and what each server costs above
floor-udp; OUT.json gets the rows and every run.
"""
import argparse
import json
import os
import statistics
import sys

LOSS_FREE_PCT = 0.1

# What the rows other than the three servers are (server_guest.sh).
VARIANTS = {
    "kntp6": "kntp over IPv6, one client",
    "kntp-10k": "kntp over IPv6, 10,000 clients (a /64 each), in turn",
    "kntp-rl": "kntp-10k with rate limiting on (a table of 16384, limits no client reaches)",
    "kntp-auth": "kntp, every request and answer with an MD5 MAC",
    "kntp-napi": "kntp under the veth NAPI set-up of the XDP rows (XDP_PASS on both ends, "
                 "threaded NAPI pinned: b's to CPU 0, a's to CPU 1)",
    "kntp-base": "kntp as built from the commit bench-server's BENCH_SRV_BASE names "
                 "(the intro says which), in the same guest: a change's before, "
                 "beside the kntp row's after",
    "kntp-ingress": "kntp answering at b-a's ingress (a netfilter netdev hook), "
                    "out of b-a to the sender's MAC address, unrouted",
    "kntp-ingress-base": "kntp-base answering at b-a's ingress, as kntp-ingress does",
    "kntp-xdp": "an XDP responder (selftests/bench/xdp_ntp.bpf.c) fed kntp's system "
                "variables, under that set-up",
}

# The rows that answer nothing: what a request costs before any server does
# anything, per request sent.
FLOORS = {
    "floor-tc": "dropped as b-a receives it (a tc ingress filter): the interrupt, "
                "waking vCPU 0, the backlog",
    "floor-udp": "dropped by a UDP socket on port 123 whose buffer is full: that and "
                 "the whole receive path to the socket",
}


def load(path):
    runs = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    return runs


def loss_free(runs):
    """The highest rate up to which no run lost more than LOSS_FREE_PCT (the
    fixed and the search runs by rate; a rate with several rounds is
    loss-free only if every one of them is), and what stopped it there."""
    best, limit = None, "not reached"
    # At one rate the lossiest run first: it decides the rate.
    for r in sorted(runs, key=lambda r: (r["rate"], not r["send_short"], -r["loss_pct"])):
        if best and best["rate"] == r["rate"]:
            continue
        d = r.get("drops", {})
        # The generator's own: its sockets' buffers, CPU 1's backlog, its
        # receive ring (the packet generator: frames it had no room for).
        client = (d.get("client_rcvbuf", 0) + d.get("backlog_cpu1", 0) +
                  r.get("ring_drops", 0))
        if r["send_short"]:
            limit = "generator (sent %d/s of %d/s%s)" % (
                r["send_rate"], r["rate"],
                "; %d answers it had no room for" % client if client else "")
            break
        if r["loss_pct"] > LOSS_FREE_PCT:
            server = d.get("server_rcvbuf", 0) + d.get("backlog_cpu0", 0)
            side = "the generator's side" if client > server else "server"
            limit = "%s (%.2f %% lost at %d/s; drops: server side %d, client side %d)" % (
                side, r["loss_pct"], r["rate"], server, client)
            break
        best = r
    return best, limit


def median(runs, key):
    """The median of the runs' KEY, and its range; None for none."""
    v = [r[key] for r in runs if r.get(key) is not None]
    if not v:
        return None, None
    return round(statistics.median(v), 2), (min(v), max(v))


def busy_pct(r):
    """vCPU 0's busy share in run r, the server's part (less idle)."""
    if not r or r.get("server_us_per_answer") is None:
        return None
    return round(100.0 * r["server_us_per_answer"] * r["answered"] /
                 (r["seconds"] * 1e6))


def row(name, runs, fixed):
    by_rate = {}
    for r in runs:
        if r["phase"] == "fixed":
            by_rate.setdefault(r["rate"], []).append(r)
    best, limit = loss_free(runs)
    # The middle rate's first round: its turnaround and the generator's cost.
    mid = by_rate[sorted(by_rate)[len(by_rate) // 2]][0] if by_rate else None
    per = {k: median(by_rate[k], "server_us_per_answer") for k in fixed if k in by_rate}
    per_req = {k: median(by_rate[k], "server_us_per_request") for k in fixed if k in by_rate}
    return {
        "server": name,
        "us_per_answer": {str(k): v[0] for k, v in per.items()},
        "us_per_answer_range": {str(k): v[1] for k, v in per.items()},
        "us_per_request": {str(k): v[0] for k, v in per_req.items()},
        "us_per_request_range": {str(k): v[1] for k, v in per_req.items()},
        "us_per_answer_ticks": {str(k): median(by_rate[k], "server_us_per_answer_ticks")[0]
                                for k in fixed if k in by_rate},
        "rounds": {str(k): len(by_rate[k]) for k in fixed if k in by_rate},
        "ipis_per_request": {str(k): {c: median([r.get("ipis_per_request", {})
                                                 for r in by_rate[k]], c)[0]
                                      for c in ("cpu0", "cpu1")}
                             for k in fixed if k in by_rate},
        "loss_pct": {str(k): max(r["loss_pct"] for r in by_rate[k])
                     for k in fixed if k in by_rate},
        "loss_free_rate": best["rate"] if best else None,
        "loss_free_busy_pct": busy_pct(best),
        "limited_by": limit,
        "turnaround_ns": mid["turnaround_ns"] if mid else None,
        "turnaround_rate": mid["rate"] if mid else None,
        "generator_us_per_request": mid["cpu_us_per_request"] if mid else None,
    }


def per_round(runs, ref_runs, fixed):
    """chronyd's us per answer over this server's, round by round at each
    fixed rate: both ran in the same round, minutes apart (server_guest.sh
    runs every server in each round in turn)."""
    def by_key(rs):
        return {(r["rate"], r["round"]): r["server_us_per_answer"] for r in rs
                if r["phase"] == "fixed" and r.get("round")
                and r.get("server_us_per_answer")}
    mine, ref = by_key(runs), by_key(ref_runs)
    return {str(k): [round(ref[key] / mine[key], 2) for key in sorted(mine)
                     if key[0] == k and key in ref]
            for k in fixed}


def fmt(v, spec="%.1f"):
    return "-" if v is None else spec % v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("--md")
    ap.add_argument("--json")
    ap.add_argument("--intro", action="append", default=[])
    ap.add_argument("--costs", help="kntp-costs.json: memory and adding")
    a = ap.parse_args()

    servers = {}
    for p in a.inputs:
        name = os.path.basename(p).rsplit(".", 1)[0]
        servers[name] = load(p)
    fixed = sorted({r["rate"] for runs in servers.values() for r in runs
                    if r["phase"] == "fixed"})
    rows = [row(n, runs, fixed) for n, runs in servers.items()]
    floors = [r for r in rows if r["server"] in FLOORS]
    rows = [r for r in rows if r["server"] not in FLOORS]
    ref = next((r for r in rows if r["server"] == "chronyd"), None)
    for r in rows:
        r["times_cheaper_per_round"] = per_round(servers[r["server"]],
                                                 servers.get("chronyd", []), fixed)

    def spread(r, k, what="us_per_answer"):
        v, rng = r[what].get(str(k)), r[what + "_range"].get(str(k))
        if v is None or not rng or rng[0] == rng[1]:
            return fmt(v)
        return "%s (%s-%s)" % (fmt(v), fmt(rng[0]), fmt(rng[1]))

    out = list(a.intro) + [""]
    head = ["server"] + ["us/answer at %d/s" % k for k in fixed] + \
        ["ratio to chronyd", "times cheaper than chronyd, per round"] + \
        ["loss-free rate", "limited by",
                                "T3-T2 p50 / p99 (us)", "generator us/request"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    for r in rows:
        cells = [r["server"]]
        ratios = []
        for k in fixed:
            v = r["us_per_answer"].get(str(k))
            cells.append(spread(r, k))
            c = ref["us_per_answer"].get(str(k)) if ref else None
            ratios.append(fmt(v / c, "%.2f") if v and c else "-")
        cells.append(" / ".join(ratios))
        rounds = []
        for k in fixed:
            v = r["times_cheaper_per_round"].get(str(k))
            rounds.append("%s (least %s)" % (fmt(statistics.median(v)), fmt(min(v)))
                          if v else "-")
        cells.append(" / ".join(rounds))
        lf = fmt(r["loss_free_rate"], "%d/s") if r["loss_free_rate"] \
            else "below %d/s" % min(fixed) if fixed else "-"
        if r["loss_free_busy_pct"] is not None:
            lf += " (vCPU 0 %d %% busy)" % r["loss_free_busy_pct"]
        cells.append(lf)
        cells.append(r["limited_by"])
        t = r["turnaround_ns"]
        cells.append("%s / %s at %d/s" % (fmt(t["p50"] / 1e3), fmt(t["p99"] / 1e3),
                                          r["turnaround_rate"]) if t else "-")
        cells.append(fmt(r["generator_us_per_request"], "%.2f"))
        out.append("| " + " | ".join(cells) + " |")
    legend = [(n, VARIANTS[n]) for n in servers if n in VARIANTS]
    if legend:
        out.append("")
        out.extend("- %s: %s" % nv for nv in legend)
    costs = None
    if a.costs and os.path.exists(a.costs):
        with open(a.costs) as f:
            costs = json.load(f)
        out.append("")
        out.append(
            "kntp's costs: %(associations)d servers added one command each in "
            "%(add_one_command_each_ms).0f ms (deleted in %(delete_one_command_each_ms).0f ms), "
            "in one kntp apply in %(add_one_apply_ms).0f ms; kernel memory "
            "%(kmem_per_association_bytes)d bytes per association (/proc/meminfo; "
            "its own socket included; the association object %(assoc_object_bytes)s "
            "bytes), %(kmem_per_ratelimit_record_bytes).1f bytes per rate-limit record "
            "(a table of %(ratelimit_records)d)." % costs)
    by_name = {r["server"]: r for r in rows}
    xdp = by_name.get("kntp-xdp")
    udp = next((f for f in floors if f["server"] == "floor-udp"), None)
    if floors:
        out.append("")
        out.append("The floor: what a request costs vCPU 0 before any server does anything, "
                   "us per request sent at %s/s (median, range):" %
                   " / ".join(str(k) for k in fixed))
        out.append("")
        for f in floors:
            out.append("- %s: %s - %s" % (f["server"], " / ".join(
                spread(f, k, "us_per_request") for k in fixed), FLOORS[f["server"]]))
    if udp:
        above = []
        for r in rows:
            parts = []
            for k in fixed:
                v, fl = r["us_per_answer"].get(str(k)), udp["us_per_request"].get(str(k))
                parts.append(fmt(v - fl if v is not None and fl is not None else None))
            above.append("%s %s" % (r["server"], " / ".join(parts)))
        bound = []
        for k in fixed:
            c = ref["us_per_answer"].get(str(k)) if ref else None
            fl = udp["us_per_request"].get(str(k))
            bound.append(fmt(c / fl, "%.1f") if c and fl and fl > 0 else "-")
        out.append("")
        ipi = []
        for r in floors + rows:
            v = ["%s/%s" % (fmt(r["ipis_per_request"].get(str(k), {}).get("cpu0"), "%.2f"),
                            fmt(r["ipis_per_request"].get(str(k), {}).get("cpu1"), "%.2f"))
                 for k in fixed]
            ipi.append("%s %s" % (r["server"], " / ".join(v)))
        out.append("")
        out.append("IPIs per request sent, taken by vCPU 0 (the requests' wake-ups) / by vCPU 1 "
                   "(the answers' way to the generator, which the server's vCPU sends): %s."
                   % "; ".join(ipi))
        out.append("")
        out.append("Above floor-udp (us per answer less it): %s. A server that receives "
                   "through the kernel's UDP path pays floor-udp before anything of its own, "
                   "so on this bench none can be more than chronyd / floor-udp times cheaper "
                   "than chronyd: %s." % ("; ".join(above), " / ".join(bound)))

    def against(name, this="kntp-xdp"):
        mine, other = by_name.get(this), by_name.get(name)
        parts = []
        for k in fixed:
            x = mine["us_per_answer"].get(str(k)) if mine else None
            n = other["us_per_answer"].get(str(k)) if other else None
            if x and n:
                parts.append("%.2f at %d/s" % (x / n, k))
        return ", ".join(parts) or "-"

    if "kntp" in by_name and "kntp-base" in by_name:
        out.append("")
        out.append("kntp against kntp-base (after / before, us per answer): %s."
                   % against("kntp-base", "kntp"))
    if "kntp-ingress" in by_name and "kntp-ingress-base" in by_name:
        rounds = per_round(servers["kntp-ingress"], servers["kntp-ingress-base"], fixed)
        out.append("")
        out.append("kntp-ingress against kntp-ingress-base (after / before, us per answer): "
                   "%s; before over after per round, median (least): %s."
                   % (against("kntp-ingress-base", "kntp-ingress"),
                      ", ".join("%s (%s) at %d/s" % (fmt(statistics.median(rounds[str(k)]), "%.2f"),
                                                    fmt(min(rounds[str(k)]), "%.2f"), k)
                                for k in fixed if rounds[str(k)]) or "-"))
    if xdp:
        out.append("")
        out.append("XDP: what the responder (kntp-xdp) costs per answer against the "
                   "kernel path under the same NAPI set-up (kntp-napi): %s; against kntp's "
                   "kernel path as the kntp row runs it: %s (issue 12 makes it an option "
                   "at 0.5 or less)." % (against("kntp-napi"), against("kntp")))
    text = "\n".join(out) + "\n"
    sys.stdout.write(text)
    if a.md:
        with open(a.md, "w") as f:
            f.write(text)
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"rows": rows, "costs": costs, "runs": servers}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
