#!/usr/bin/env python3
# usage: perf/flamegraph.py [--title TEXT] [--min-width PIXELS] IN.collapsed > OUT.svg
#
# Draws folded stacks (perf/jfr-fold.py's output, or any "frame;frame;frame COUNT" lines) as a
# flame graph: one box per frame, its width the share of samples with that frame on the stack,
# callers below callees. A box's tooltip gives the frame, its samples and its share. Frames
# narrower than --min-width pixels (0.1) are left out; lines starting with # are comments. Plain SVG, no script: any browser opens it.
import hashlib, html, sys

args = sys.argv[1:]
title, min_width, path = 'Flame graph', 0.1, None
while args:
    a = args.pop(0)
    if a == '--title' and args: title = args.pop(0)
    elif a == '--min-width' and args: min_width = float(args.pop(0))
    elif a.startswith('-') or path: sys.exit('usage: perf/flamegraph.py [--title TEXT] [--min-width PIXELS] IN.collapsed')
    else: path = a
if not path: sys.exit('usage: perf/flamegraph.py [--title TEXT] [--min-width PIXELS] IN.collapsed')

root = {'n': 0, 'c': {}}
with open(path, errors='replace') as f:
    for number, line in enumerate(f, 1):
        line = line.rstrip('\n')
        if line.startswith('#'): continue
        stack, _, count = line.rpartition(' ')
        if not stack: continue
        try: n = int(count)
        except ValueError: sys.exit(f'flamegraph.py: {path}:{number}: no sample count at the end of the line')
        root['n'] += n
        node = root
        for frame in stack.split(';'):
            node = node['c'].setdefault(frame, {'n': 0, 'c': {}})
            node['n'] += n
if root['n'] == 0: sys.exit(f'flamegraph.py: {path}: no samples')


def depth(node):
    return 1 + max((depth(c) for c in node['c'].values()), default=0)


WIDTH, ROW, TOP, FONT = 1200, 16, 40, 11
scale = (WIDTH - 20) / root['n']
height = TOP + ROW * depth(root) + 10
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="monospace" font-size="{FONT}">',
       f'<rect width="100%" height="100%" fill="#f8f8f8"/>',
       f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="15">{html.escape(title)}</text>',
       f'<text x="10" y="34" font-size="10">{root["n"]} samples; width = share of samples; hover a box for its figures</text>']


def color(frame):
    h = hashlib.md5(frame.encode()).digest()
    if frame.startswith(('java.', 'jdk.', 'sun.')): return f'rgb({200 + h[0] % 55},{120 + h[1] % 60},{50 + h[2] % 40})'
    if frame.startswith('dev.namu.'): return f'rgb({60 + h[0] % 50},{150 + h[1] % 60},{200 + h[2] % 55})'
    return f'rgb({210 + h[0] % 45},{170 + h[1] % 60},{60 + h[2] % 50})'


def draw(name, node, x, level):
    w = node['n'] * scale
    if w < min_width: return
    if level >= 0:
        y = height - 10 - ROW * (level + 1)
        share = 100.0 * node['n'] / root['n']
        label = html.escape(name)
        out.append(f'<g><title>{label} ({node["n"]} samples, {share:.2f}%)</title>'
                   f'<rect x="{x + 10:.2f}" y="{y}" width="{max(w - 0.5, 0.1):.2f}" height="{ROW - 1}" fill="{color(name)}"/>')
        chars = int(w / (FONT * 0.6))
        if chars >= 3:
            text = name if len(name) <= chars else name[:chars - 2] + '..'
            out.append(f'<text x="{x + 12:.2f}" y="{y + ROW - 4}">{html.escape(text)}</text>')
        out.append('</g>')
    for child_name, child in sorted(node['c'].items()):
        draw(child_name, child, x, level + 1)
        x += child['n'] * scale


draw('all', root, 0, -1)
out.append('</svg>')
print('\n'.join(out))
