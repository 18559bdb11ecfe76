#!/usr/bin/env python3
# usage: perf/jfr-fold.py [--threads] [--jfr PATH-TO-jfr] RECORDING.jfr... > OUT.collapsed
#
# Folds the execution samples of a JFR recording (jdk.ExecutionSample: Java code on CPU) into
# the "folded stacks" text flame-graph tools read: one line per distinct stack, frames from the
# thread's root to the sampled method separated by ';', then the number of samples. With
# --threads the first frame is the thread's name with its digits as '#' (nioEventLoopGroup-#-#),
# so a graph splits by kind of thread. JIT compiler and GC threads run no Java code and are not
# sampled: perf/cpu-per-thread.sh measures them. Several recordings are summed into one profile. Render with perf/flamegraph.py.
# Uses `jfr print` of the JDK that runs java on PATH unless --jfr says which.
import collections, os, re, shutil, subprocess, sys

USAGE = 'usage: perf/jfr-fold.py [--threads] [--jfr PATH-TO-jfr] RECORDING.jfr...'

args = sys.argv[1:]
threads, jfr, paths = False, None, []
while args:
    a = args.pop(0)
    if a == '--threads': threads = True
    elif a == '--jfr' and args: jfr = args.pop(0)
    elif a.startswith('-'): sys.exit(USAGE)
    else: paths.append(a)
if not paths: sys.exit(USAGE)
for path in paths:
    if not os.path.isfile(path): sys.exit(f'jfr-fold.py: no such recording: {path}')
if jfr is None:
    java = shutil.which('java')
    jfr = os.path.join(os.path.dirname(os.path.realpath(java)), 'jfr') if java else shutil.which('jfr')
if not jfr or not os.access(jfr, os.X_OK): sys.exit('jfr-fold.py: the JDK\'s jfr tool was not found (give --jfr)')

frame_re = re.compile(r'^\s{4}(\S.*?)(?:\s+line: \d+)?\s*$')
counts = collections.Counter()


def fold(path):
    proc = subprocess.Popen([jfr, 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '128', path],
                            stdout=subprocess.PIPE, text=True, errors='replace')
    thread, frames, in_stack = None, [], False
    for line in proc.stdout:
        if line.startswith('jdk.ExecutionSample'):
            thread, frames, in_stack = None, [], False
        elif line.startswith('  sampledThread = '):
            m = re.match(r'\s*sampledThread = "(.*)"', line)
            thread = re.sub(r'\d+', '#', m.group(1)) if m else '?'
        elif line.startswith('  stackTrace = ['):
            in_stack = True
        elif in_stack and line.startswith('  ]'):
            in_stack = False
            stack = [f.replace(';', ',').replace(' ', '') for f in reversed(frames)]
            if threads: stack.insert(0, thread or '?')
            if stack: counts[';'.join(stack)] += 1
        elif in_stack:
            m = frame_re.match(line)
            if m and m.group(1) != '...': frames.append(m.group(1))
    if proc.wait() != 0: sys.exit(f'jfr-fold.py: jfr print failed on {path}')


for path in paths:
    fold(path)
if not counts: sys.exit(f'jfr-fold.py: no execution samples in {" ".join(paths)} (record with settings=profile)')
for stack, n in sorted(counts.items()):
    print(f'{stack} {n}')
