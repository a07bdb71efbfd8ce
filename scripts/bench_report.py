#!/usr/bin/env python3
"""Pairs each obauth benchmark with its OpenSSL ceiling from Google
Benchmark's JSON output (medians of repetitions), prints the table with the
targets of the performance issues, and draws an SVG chart of the ratios.

Where a .../paired row ran both in alternating blocks (benchmarks/paired.hpp),
its ratio is the one shown and checked, the separate rows' ratio beside it:
separate rows run seconds or minutes apart, and load that comes and goes on
a shared machine tilts their ratio by several percent.

Ratios come from CPU time: on a shared, loaded machine wall-clock ratios
swing by tens of percent while CPU-time ratios stay within a few. The
multi-threaded rows (real_time/threads:N) measure throughput, which only
wall-clock time shows; their scaling is compared with the one-thread row's
throughput, also from wall-clock time, beside the ceiling's own scaling.
Where a .../scaling row ran one thread and two in alternating blocks
(benchmarks/scaling.hpp), its scaling is the one checked: on a shared host
the one-thread rate alone moves by tens of percent between separate runs."""
import argparse
import json
import os
import re
import sys
from datetime import datetime, timezone


def load(path):
    with open(path) as f:
        data = json.load(f)
    medians = {}
    for b in data["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]
        scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b.get("time_unit", "ns")]
        # CPU time per operation; wall-clock time for throughput rows.
        seconds = (b["real_time"] if "real_time" in name else b["cpu_time"]) * scale
        wall = b["real_time"] * scale
        medians[name] = {
            "ops": 1.0 / seconds if seconds > 0 else 0.0,
            "wall_ops": 1.0 / wall if wall > 0 else 0.0,
            "cpu_us": b["cpu_time"] * scale * 1e6,
            "allocs": b.get("allocs_per_op"),
            "bytes_per_second": b.get("bytes_per_second"),
            "paired_ratio": b.get("paired_ratio"),
            "paired_scaling": b.get("paired_scaling"),
            "ceiling_scaling": b.get("ceiling_scaling"),
        }
    return data["context"], medians


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown CPU"


def target_for(name, medians):
    """(kind, threshold) of the issue's target for this pair, or None."""
    m = re.match(r"jws/([^/]+)/(sign|verify)/obauth$", name)
    if m:
        alg, op = m.group(1), m.group(2)
        if alg.startswith("HS"):
            return ("ratio", 0.55) if alg == "HS256" else None
        if op == "verify" and alg in ("RS256", "RS512", "PS256", "PS384"):
            return ("ratio", 0.97)
        return ("ratio", 0.95)
    if name == "gateway/RS256/verify/obauth":
        return ("ratio", 0.95)
    if name == "gateway/RS256/cache-hit/obauth":
        return ("ratio", 20.0)
    if re.match(r"dpop/[^/]+/verify/obauth$", name):
        return ("ratio", 0.90)
    if re.match(r"jwe/[^/]+/decrypt-nested/obauth$", name):
        return ("ratio", 0.95)
    return None


def store_table(medians):
    """The fleet's shared state (issue 24): no OpenSSL ceiling; the Redis
    rows beside the in-process store doing the same work. Throughput from
    wall-clock time (a Redis round trip waits, it does not compute)."""
    names = sorted(n for n in medians if n.startswith("store/") and "/redis" in n)
    if not names:
        return []
    out = ["", "Fleet state on a loopback Redis (Debian's redis-server, TCP) beside the "
           "in-process store doing the same work; wall-clock throughput, and the "
           "client's CPU time per operation.", "",
           "| benchmark | Redis ops/s | client CPU µs/op | in-process ops/s |",
           "|---|---:|---:|---:|"]
    for name in names:
        r = medians[name]
        memory = medians.get(name.replace("/redis", "/memory"))
        if memory is None and "/real_time" in name:
            memory = medians.get(name.replace("/redis/real_time", "/memory"))
        label = name.replace("/real_time", "")
        out.append(f"| {label} | {fmt_ops(r['ops'])} | {r['cpu_us']:.1f} | "
                   f"{fmt_ops(memory['ops']) if memory else '—'} |")
    return out


def fmt_ops(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.1f} k"
    return f"{x:.0f}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("results")
    ap.add_argument("--svg")
    ap.add_argument("--docs")
    ap.add_argument("--repetitions", default="9")
    args = ap.parse_args()
    context, medians = load(args.results)

    rows = []
    for name in sorted(medians):
        if "/obauth" not in name:
            continue
        ceiling_name = name.replace("/obauth", "/ceiling")
        ob = medians[name]
        ce = medians.get(ceiling_name)
        separate = ob["ops"] / ce["ops"] if ce and ce["ops"] else None
        # Where both ran in alternating blocks (a .../paired row), that
        # ratio: load that comes and goes between separate rows tilts theirs.
        paired = medians.get(name.replace("/obauth", "/paired"), {}).get("paired_ratio")
        ratio = paired if paired else separate
        checks = []
        t = target_for(name, medians)
        if t and ratio is not None:
            checks.append((f"≥ {t[1]:.2f}×", ratio >= t[1]))
        if re.match(r"jws/[^/]+/verify/obauth$", name) and ce and ob["allocs"] is not None:
            limit = 10 if name.startswith("jws/HS256/") else ce["allocs"] + 10
            checks.append((f"allocs ≤ {limit:g}", ob["allocs"] <= limit))
        m = re.match(r"((jws/(ES256|HS256)|gateway/RS256)/verify/obauth)/real_time/threads:2$",
                     name)
        if m and m.group(1) in medians:
            # Throughput against throughput: both from wall-clock time (a
            # one-thread rate from CPU time would leave out the time the
            # host takes from this machine, which the two-thread rate pays).
            scaling = ob["ops"] / medians[m.group(1)]["wall_ops"]
            text = f"2 threads {scaling:.2f}×"
            one = medians.get(m.group(1).replace("/obauth", "/ceiling"))
            if ce and one:
                text += f" (ceiling {ce['ops'] / one['wall_ops']:.2f}×)"
            # Where one thread and two ran in alternating blocks (a
            # .../scaling row, benchmarks/scaling.hpp), that scaling is the
            # one checked, the separate rows' beside it.
            pair = medians.get(m.group(1).replace("/obauth", "/scaling"), {})
            if pair.get("paired_scaling"):
                scaling = pair["paired_scaling"]
                text = (f"2 threads {scaling:.2f}× (ceiling {pair['ceiling_scaling']:.2f}×) "
                        f"alternating, {text[len('2 threads '):]} separate")
            if m.group(1).startswith("gateway/"):
                checks.append((f"{text}; ≥ 1.9×", scaling >= 1.9))
            else:  # shown, not a target of the issue
                checks.append((text, None))
        rows.append((name.replace("/obauth", ""), ob, ce, ratio, checks, separate if paired else None))

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    header = (f"Run {when} on {cpu_model()} ({context.get('num_cpus')} cores), "
              f"{context.get('compiler', '?')}, {context.get('openssl', '?')}; "
              f"medians of {args.repetitions} interleaved repetitions; ratios from CPU time, "
              f"measured in alternating blocks where the row has one (the separate rows' "
              f"ratio beside it), else of the separate rows "
              f"(the threads:2 rows from wall-clock time: throughput, their scaling "
              f"against the one-thread row's wall-clock throughput, or one thread and "
              f"two in alternating blocks where the row has that).")
    lines = [header, "",
             "| benchmark | obauth ops/s | ceiling ops/s | ratio | separate | allocs/op (obauth / ceiling) | target |",
             "|---|---:|---:|---:|---:|---:|---|"]
    failed = 0
    for label, ob, ce, ratio, checks, separate in rows:
        allocs = "" if ob["allocs"] is None else f"{ob['allocs']:.0f}"
        if ce and ce["allocs"] is not None:
            allocs += f" / {ce['allocs']:.0f}"
        target = "; ".join(("" if ok is None else "✔ " if ok else "✘ ") + text
                           for text, ok in checks)
        failed += sum(1 for _, ok in checks if ok is False)
        lines.append(f"| {label} | {fmt_ops(ob['ops'])} | {fmt_ops(ce['ops']) if ce else '—'} | "
                     f"{f'{ratio:.3f}' if ratio is not None else '—'} | "
                     f"{f'{separate:.3f}' if separate is not None else ''} | {allocs} | {target} |")
    lines += store_table(medians)
    table = "\n".join(lines)
    print(table)
    print(f"\ntargets missed: {failed}")

    svg = chart(rows, header)
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(svg)
    if args.docs:
        os.makedirs(args.docs, exist_ok=True)
        with open(os.path.join(args.docs, "benchmarks.md"), "w") as f:
            f.write("# Benchmarks\n\nGenerated by `scripts/bench` (`OBAUTH_BENCH_DOCS=1`).\n\n")
            f.write(table + "\n\n![ratios](benchmarks.svg)\n")
        with open(os.path.join(args.docs, "benchmarks.svg"), "w") as f:
            f.write(svg)
    return 0


def chart(rows, title):
    """Horizontal bars: obauth throughput as a fraction of the ceiling."""
    pairs = [(label, ratio, checks) for label, _, _, ratio, checks, _ in rows
             if ratio is not None and label.startswith(("jws/", "jwe/", "assertion/", "pkce/", "dpop/",
                                                        "gateway/RS256/verify"))]
    bar_h, gap, left, width = 14, 4, 260, 520
    height = 60 + len(pairs) * (bar_h + gap)
    scale = width / 1.2
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{height}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="10" y="18" font-size="12">obauth throughput ÷ OpenSSL ceiling (same run)</text>',
           f'<text x="10" y="34" fill="#555">{escape(title[:140])}</text>']
    for x in (0.4, 0.95, 1.0):
        px = left + x * scale
        out.append(f'<line x1="{px:.1f}" y1="44" x2="{px:.1f}" y2="{height - 8}" stroke="#999" '
                   f'stroke-dasharray="3,3"/><text x="{px - 10:.1f}" y="{height - 0}" fill="#555">{x:g}</text>')
    for i, (label, ratio, checks) in enumerate(pairs):
        y = 48 + i * (bar_h + gap)
        ok = all(c is not False for _, c in checks)
        color = "#3a7bd5" if ok else "#d9534f"
        out.append(f'<text x="{left - 6}" y="{y + 11}" text-anchor="end">{escape(label)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{min(ratio, 1.2) * scale:.1f}" height="{bar_h}" '
                   f'fill="{color}"/>')
        out.append(f'<text x="{left + min(ratio, 1.2) * scale + 4:.1f}" y="{y + 11}">{ratio:.3f}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    sys.exit(main())
