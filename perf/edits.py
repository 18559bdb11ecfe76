#!/usr/bin/env python3
# usage: perf/edits.py [--count N] [--warmup N] [--ptr] [--keep DIR] [-- COMMAND...]   (loopback only)
#
# Starts namud (default: dns-server/src/main/scripts/namud, i.e. namud.jar through the launcher;
# NAMUD_EXTRA_OPTS reaches the JVM, e.g. a JFR recording) on ephemeral loopback ports with a fresh
# data directory, creates zone edits.test (and with --ptr the reverse zone 10.in-addr.arpa, so each
# edit also adds a PTR), then adds N A records one API request at a time over one keep-alive HTTP
# connection, as a script would. After each acknowledgement it asks namud over UDP for the record
# until the answer holds it. Prints the total time, per-edit request time (median, p99, max) and
# acknowledgement-to-visible time (median, max). --warmup N first makes N edits in another zone
# (not measured), to show a warmed-up JVM.
import http.client, json, os, socket, struct, subprocess, sys, tempfile, time, shutil

args = sys.argv[1:]
count, warmup, ptr, keep, cmd = 1000, 0, False, None, None
while args:
    a = args.pop(0)
    if a == '--count': count = int(args.pop(0))
    elif a == '--warmup': warmup = int(args.pop(0))
    elif a == '--ptr': ptr = True
    elif a == '--keep': keep = args.pop(0)
    elif a == '--': cmd = args; break
    else: sys.exit(__doc__ or 'usage: perf/edits.py [--count N] [--warmup N] [--ptr] [--keep DIR] [-- COMMAND...]')
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
cmd = cmd or [os.path.join(root, 'dns-server/src/main/scripts/namud')]

work = keep or tempfile.mkdtemp(prefix='namu-edits-')
os.makedirs(os.path.join(work, 'zones'), exist_ok=True)
log_path = os.path.join(work, 'namud.log')
log = open(log_path, 'w')
t_start = time.monotonic()
# metrics on a free port too: another namud on the machine may hold the default 9153
proc = subprocess.Popen(cmd + ['--listen', '127.0.0.1:0', '--api', '127.0.0.1:0', '--metrics', '127.0.0.1:0', '--no-recursion',
                               '--data', os.path.join(work, 'data'), '--zones', os.path.join(work, 'zones')],
                        stdout=log, stderr=subprocess.STDOUT)


def ports():
    while time.monotonic() - t_start < 30:
        text = open(log_path).read()
        api = dns = None
        for line in text.splitlines():
            if 'admin API listening on http://127.0.0.1:' in line:
                api = int(line.split('http://127.0.0.1:')[1].split('/')[0])
            if 'namud serving' in line and '127.0.0.1:' in line:
                dns = int(line.rsplit('127.0.0.1:', 1)[1].split()[0].strip(',;)'))
        if api and dns:
            return api, dns
        if proc.poll() is not None:
            sys.exit('namud exited:\n' + text)
        time.sleep(0.05)
    sys.exit('namud did not start in 30 s:\n' + open(log_path).read())


def query(name, qid):
    out = struct.pack('>HHHHHH', qid, 0x0000, 1, 0, 0, 0)
    for label in name.strip('.').split('.'):
        out += bytes([len(label)]) + label.encode()
    return out + b'\0' + struct.pack('>HH', 1, 1)


def skip_name(d, i):
    while True:
        n = d[i]
        if n == 0: return i + 1
        if n & 0xc0 == 0xc0: return i + 2
        i += n + 1


def answer_a(d):
    """The A addresses in the answer section of a NOERROR reply, else None."""
    qd, an = struct.unpack('>HH', d[4:8])
    if d[3] & 0x0f != 0: return None
    i = 12
    for _ in range(qd): i = skip_name(d, i) + 4
    found = []
    for _ in range(an):
        i = skip_name(d, i)
        rtype, _, _, rdlen = struct.unpack('>HHIH', d[i:i + 10]); i += 10
        if rtype == 1: found.append('.'.join(str(b) for b in d[i:i + 4]))
        i += rdlen
    return found


def cpu_seconds(pid):
    """User + system CPU seconds of a process so far (Linux /proc), a figure other jobs on the machine
    disturb less than wall time."""
    try:
        fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
    except (OSError, IndexError, ValueError):
        return float('nan')


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


try:
    api_port, dns_port = ports()
    token = open(os.path.join(work, 'data', 'api-token')).read().strip()
    conn = http.client.HTTPConnection('127.0.0.1', api_port, timeout=10)
    headers = {'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json'}

    def call(method, path, body):
        conn.request(method, '/api/v1/' + path, body=json.dumps(body), headers=headers)
        r = conn.getresponse()
        data = r.read()
        if r.status not in (200, 201):
            sys.exit('%s %s: %d %s' % (method, path, r.status, data.decode()))
        return data

    call('POST', 'zones', {'name': 'edits.test'})
    call('POST', 'zones', {'name': 'warmup.test'})
    if ptr:
        call('POST', 'zones', {'name': '10.in-addr.arpa'})
    for i in range(warmup):
        call('POST', 'zones/warmup.test/records', {'name': 'w%d' % i, 'type': 'A', 'data': '10.9.%d.%d' % (i // 256 % 256, i % 256)})
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.settimeout(0.05)
    request_ms, visible_ms, queries = [], [], 0
    cpu0 = cpu_seconds(proc.pid)
    t0 = time.monotonic()
    for i in range(count):
        addr = '10.2.%d.%d' % (i // 256 % 256, i % 256)
        s = time.monotonic()
        call('POST', 'zones/edits.test/records', {'name': 'h%d' % i, 'type': 'A', 'data': addr})
        acked = time.monotonic()
        request_ms.append((acked - s) * 1000)
        qid = i & 0xffff
        seen = False
        while not seen:
            if time.monotonic() - acked > 5: sys.exit('h%d.edits.test not visible 5 s after its acknowledgement' % i)
            queries += 1
            udp.sendto(query('h%d.edits.test' % i, qid), ('127.0.0.1', dns_port))
            while True:  # a late reply to an earlier query is skipped by its ID
                try:
                    d, _ = udp.recvfrom(4096)
                except socket.timeout:
                    break
                if struct.unpack('>H', d[:2])[0] == qid:
                    seen = addr in (answer_a(d) or [])
                    break
        visible_ms.append((time.monotonic() - acked) * 1000)
    total = time.monotonic() - t0
    cpu = cpu_seconds(proc.pid) - cpu0
    print('%d single API edits (one keep-alive connection, each checked over UDP): %.2f s total, %.2f s in the'
          ' edit requests' % (count, total, sum(request_ms) / 1000))
    print('edit request: median %.2f ms, p99 %.2f ms, max %.2f ms' % (pct(request_ms, 0.5), pct(request_ms, 0.99),
                                                                       max(request_ms)))
    print('ack-to-visible (first UDP answer with the record): median %.2f ms, max %.2f ms; %d queries for %d edits'
          % (pct(visible_ms, 0.5), max(visible_ms), queries, count))
    print('namud CPU time (user + system) during the edits: %.2f s (%.2f ms per edit); load average %s'
          % (cpu, cpu * 1000 / count, open('/proc/loadavg').read().split()[0]))
finally:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
