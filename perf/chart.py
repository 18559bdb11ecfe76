#!/usr/bin/env python3
# usage: perf/chart.py OUT.png LABEL=TABLE [LABEL=TABLE...]
# Draws perf/targets.sh tables (its standard output saved to TABLE) as one bar per target and
# label: namud's standing against the target, 1.0 = exactly at it, above 1 = better (QPS: namud
# over the peer; times, latency and memory: the peer's figure or the bound over namud's). Rows
# that count failures (SERVFAIL, lost queries) are left out: they have no ratio. Needs matplotlib
# (Debian: python3-matplotlib).
import re, sys

def lines(path):
    try:
        with open(path) as f:
            return f.read().splitlines()
    except OSError as e:
        sys.exit('chart.py: cannot read %s: %s' % (path, e.strerror))

def rows(path):
    out = []
    for line in lines(path):
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) != 5 or cells[0] in ('target', '') or cells[0].startswith('---'):
            continue
        target, namud, peer = cells[0], cells[1], cells[2]
        try:
            n, p = float(namud), float(peer)
        except ValueError:
            continue
        if 'SERVFAIL' in target or n <= 0:
            continue
        if 'QPS' in target:
            score = n / p
        else:
            # "RSS <= 1.5x Knot's": the bound is that multiple of the peer's figure
            factor = re.search(r'<=\s*([0-9.]+)x', target)
            score = (float(factor.group(1)) if factor else 1.0) * p / n
        out.append((target, score))
    return out

def main():
    if len(sys.argv) < 3 or any('=' not in a for a in sys.argv[2:]):
        sys.exit('usage: perf/chart.py OUT.png LABEL=TABLE [LABEL=TABLE...]')
    for a in sys.argv[2:]:
        if not rows(a.split('=', 1)[1]):
            sys.exit('chart.py: no targets table in %s (save the output of perf/targets.sh)' % a.split('=', 1)[1])
    try:
        import matplotlib
    except ImportError:
        sys.exit('chart.py: needs matplotlib (Debian: apt-get install python3-matplotlib)')
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    series = [(a.split('=', 1)[0], dict(rows(a.split('=', 1)[1]))) for a in sys.argv[2:]]
    targets = [t for t, _ in rows(sys.argv[2].split('=', 1)[1])]
    height = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(targets) * len(series) + 1.5))
    for k, (label, scores) in enumerate(series):
        ys = [i + k * height for i in range(len(targets))]
        xs = [scores.get(t, 0) for t in targets]
        colours = ['#2e7d32' if x >= 1 else '#c62828' for x in xs]
        ax.barh(ys, xs, height=height * 0.9, color=colours, alpha=1.0 - 0.35 * k, label=label)
        for y, x in zip(ys, xs):
            ax.text(x + 0.02, y, '%.2f %s' % (x, label), va='center', fontsize=7)
    ax.axvline(1.0, color='black', linewidth=1)
    ax.set_yticks([i + height * (len(series) - 1) / 2 for i in range(len(targets))])
    ax.set_yticklabels(targets, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel('namud against the target (1.0 = at target; above = better; green met, red not)')
    ax.set_title('Namu: performance targets, peers measured in the same run (perf/targets.sh)')
    fig.tight_layout()
    fig.savefig(sys.argv[1], dpi=110)

if __name__ == '__main__':
    main()
