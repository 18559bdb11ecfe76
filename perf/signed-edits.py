#!/usr/bin/env python3
# usage: perf/signed-edits.py [--records N] [--count N] [--warmup N] [--rounds N] [--modes unsigned,nsec,nsec3]
#        (loopback only; run under the bench lock)
#
# Single API edits of a signed stored zone against the same zone unsigned, in one run. For each
# round and each mode (the order rotates with the round), starts a fresh namud (launcher,
# dns-server/src/main/scripts/namud; ephemeral loopback ports; fresh data directory), imports a zone
# file of N records (PUT /api/v1/zones/edits.test/text, as `namuctl zone import`), signs it for
# mode nsec or nsec3 (POST .../signing, as `namuctl zone sign [--nsec3]`; ECDSAP256SHA256), checks
# over UDP with DO that the SOA carries an RRSIG exactly when signed, makes --warmup edits (not
# measured), then --count single edits (POST .../records, one A record each, one keep-alive HTTP
# connection), each followed by UDP queries until the answer holds the record (the edit is
# visible). Last, the final record is asked with DO: its RRSIG must be there exactly when signed.
# Prints per mode and round the edit request time (median, p99, max), ack-to-visible (median,
# max) and namud's CPU per edit, then the medians over the rounds and signed/unsigned ratios.
import http.client, json, os, socket, struct, subprocess, sys, tempfile, time, shutil

args = sys.argv[1:]
records, count, warmup, rounds, modes = 10000, 200, 100, 3, ['unsigned', 'nsec', 'nsec3']
while args:
    a = args.pop(0)
    if a == '--records': records = int(args.pop(0))
    elif a == '--count': count = int(args.pop(0))
    elif a == '--warmup': warmup = int(args.pop(0))
    elif a == '--rounds': rounds = int(args.pop(0))
    elif a == '--modes': modes = args.pop(0).split(',')
    else: sys.exit(open(__file__).read().split('\n')[1][2:])
for m in modes:
    if m not in ('unsigned', 'nsec', 'nsec3'): sys.exit('signed-edits.py: unknown mode ' + m)
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
launcher = os.path.join(root, 'dns-server/src/main/scripts/namud')
ZONE = 'edits.test'


def zone_text(n):
    """A zone of n records besides the apex's: n // 2 names with an A, n // 4 of them an AAAA too,
    and n // 4 TXT names, so the chain has 3n/4 names of mixed types."""
    out = ['$ORIGIN %s.' % ZONE, '$TTL 3600', '@ SOA ns1 hostmaster 1 3600 600 864000 300', '@ NS ns1',
           'ns1 A 127.0.0.1']
    for i in range(n // 2):
        out.append('n%05d A 10.1.%d.%d' % (i, i // 256 % 256, i % 256))
        if i % 2 == 0: out.append('n%05d AAAA fd00::%x' % (i, i))
    for i in range(n - n // 2 - n // 4):
        out.append('t%05d TXT "record %d"' % (i, i))
    return '\n'.join(out) + '\n'


def name_wire(name):
    out = b''
    for label in name.strip('.').split('.'):
        out += bytes([len(label)]) + label.encode()
    return out + b'\0'


def query(name, qid, qtype=1, do=False):
    msg = struct.pack('>HHHHHH', qid, 0, 1, 0, 0, 1 if do else 0) + name_wire(name) + struct.pack('>HH', qtype, 1)
    if do:  # OPT RR: root owner, 1232-byte payload, DO bit (RFC 3225)
        msg += b'\0' + struct.pack('>HHIH', 41, 1232, 0x8000, 0)
    return msg


def skip_name(d, i):
    while True:
        n = d[i]
        if n == 0: return i + 1
        if n & 0xc0 == 0xc0: return i + 2
        i += n + 1


def answer_types(d):
    """(rcode, [(type, rdata)]) of the answer section."""
    qd, an = struct.unpack('>HH', d[4:8])
    i = 12
    for _ in range(qd): i = skip_name(d, i) + 4
    found = []
    for _ in range(an):
        i = skip_name(d, i)
        rtype, _, _, rdlen = struct.unpack('>HHIH', d[i:i + 10]); i += 10
        found.append((rtype, d[i:i + rdlen]))
        i += rdlen
    return d[3] & 0x0f, found


def cpu_seconds(pid):
    try:
        fields = open('/proc/%d/stat' % pid).read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
    except (OSError, IndexError, ValueError):
        return float('nan')


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def run(mode, text):
    work = tempfile.mkdtemp(prefix='namu-signed-edits-')
    os.makedirs(os.path.join(work, 'zones'))
    log_path = os.path.join(work, 'namud.log')
    log = open(log_path, 'w')
    proc = subprocess.Popen([launcher, '--listen', '127.0.0.1:0', '--api', '127.0.0.1:0', '--no-metrics', '--no-recursion',
                             '--data', os.path.join(work, 'data'), '--zones', os.path.join(work, 'zones')],
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        t_start, api_port, dns_port = time.monotonic(), None, None
        while not (api_port and dns_port):
            if time.monotonic() - t_start > 120: sys.exit('namud did not start in 120 s:\n' + open(log_path).read())
            if proc.poll() is not None: sys.exit('namud exited:\n' + open(log_path).read())
            for line in open(log_path).read().splitlines():
                if 'admin API listening on http://127.0.0.1:' in line:
                    api_port = int(line.split('http://127.0.0.1:')[1].split('/')[0])
                if 'namud serving' in line and '127.0.0.1:' in line:
                    dns_port = int(line.rsplit('127.0.0.1:', 1)[1].split()[0].strip(',;)'))
            time.sleep(0.05)
        token = open(os.path.join(work, 'data', 'api-token')).read().strip()
        conn = http.client.HTTPConnection('127.0.0.1', api_port, timeout=900)

        def call(method, path, body, ctype='application/json'):
            conn.request(method, '/api/v1/' + path, body=body if ctype != 'application/json' else json.dumps(body),
                         headers={'Authorization': 'Bearer ' + token, 'Content-Type': ctype})
            r = conn.getresponse()
            data = r.read()
            if r.status not in (200, 201): sys.exit('%s %s: %d %s' % (method, path, r.status, data.decode()))
            return data

        call('PUT', 'zones/%s/text' % ZONE, text.encode(), 'text/dns')
        t = time.monotonic()
        if mode != 'unsigned':
            call('POST', 'zones/%s/signing' % ZONE, {'nsec3': mode == 'nsec3'})
        sign_s = time.monotonic() - t
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.settimeout(0.05)
        qid = [0]

        def ask(name, qtype=1, do=False):
            for _ in range(100):
                qid[0] = (qid[0] + 1) & 0xffff
                udp.sendto(query(name, qid[0], qtype, do), ('127.0.0.1', dns_port))
                try:
                    while True:
                        d, _ = udp.recvfrom(65535)
                        if struct.unpack('>H', d[:2])[0] == qid[0]: return answer_types(d)
                except socket.timeout:
                    continue
            sys.exit('no answer for %s from namud' % name)

        def rrsigs(name, qtype):
            return sum(1 for t, _ in ask(name, qtype, True)[1] if t == 46)

        want = 0 if mode == 'unsigned' else 1
        if min(rrsigs(ZONE, 6), 1) != want: sys.exit('%s: SOA RRSIG count %d, expected %s' % (mode, rrsigs(ZONE, 6), want))
        for i in range(warmup):
            call('POST', 'zones/%s/records' % ZONE, {'name': 'w%d' % i, 'type': 'A', 'data': '10.9.%d.%d' % (i // 256, i % 256)})
        request_ms, visible_ms = [], []
        cpu0 = cpu_seconds(proc.pid)
        for i in range(count):
            addr = '10.2.%d.%d' % (i // 256 % 256, i % 256)
            name = 'e%d.%s' % (i, ZONE)
            s = time.monotonic()
            call('POST', 'zones/%s/records' % ZONE, {'name': 'e%d' % i, 'type': 'A', 'data': addr})
            acked = time.monotonic()
            request_ms.append((acked - s) * 1000)
            while True:
                rc, rrs = ask(name)
                if rc == 0 and any(t == 1 and '.'.join(str(b) for b in r) == addr for t, r in rrs): break
                if time.monotonic() - acked > 5: sys.exit('%s not visible 5 s after its acknowledgement' % name)
            visible_ms.append((time.monotonic() - acked) * 1000)
        cpu = cpu_seconds(proc.pid) - cpu0
        last = 'e%d.%s' % (count - 1, ZONE)
        if min(rrsigs(last, 1), 1) != want: sys.exit('%s: %s A has %d RRSIGs, expected %s' % (mode, last, rrsigs(last, 1), want))
        return {'median': median(request_ms), 'p99': pct(request_ms, 0.99), 'max': max(request_ms),
                'vis_median': median(visible_ms), 'vis_max': max(visible_ms), 'cpu_ms': cpu * 1000 / count,
                'sign_s': sign_s, 'load': float(open('/proc/loadavg').read().split()[0])}
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(work, ignore_errors=True)


text = zone_text(records)
print('zone %s: %d records besides the apex; %d measured single API edits after %d warm-up edits; load %s'
      % (ZONE, records, count, warmup, ' '.join(open('/proc/loadavg').read().split()[:3])))
print('mode\tround\tedit_median_ms\tedit_p99_ms\tedit_max_ms\tvisible_median_ms\tvisible_max_ms\tcpu_ms_per_edit\tsign_s\tload1')
results = {m: [] for m in modes}
for r in range(rounds):
    for m in modes[r % len(modes):] + modes[:r % len(modes)]:
        x = run(m, text)
        results[m].append(x)
        print('%s\t%d\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f' % (m, r + 1, x['median'], x['p99'], x['max'], x['vis_median'],
                                                                     x['vis_max'], x['cpu_ms'], x['sign_s'], x['load']), flush=True)
print()
print('| mode | edit median ms | edit max ms (median of rounds; worst) | ack-to-visible median / max ms | CPU ms per edit | vs unsigned (edit median) |')
print('|---|---:|---:|---:|---:|---:|')
base = median([x['median'] for x in results['unsigned']]) if results.get('unsigned') else None
for m in modes:
    xs = results[m]
    med = median([x['median'] for x in xs])
    print('| %s | %.2f | %.2f; %.2f | %.2f / %.2f | %.2f | %s |' % (
        m, med, median([x['max'] for x in xs]), max(x['max'] for x in xs), median([x['vis_median'] for x in xs]),
        median([x['vis_max'] for x in xs]), median([x['cpu_ms'] for x in xs]), '%.2fx' % (med / base) if base else '-'))
print('medians over %d rounds (each a fresh namud); the order of the modes rotates with the round' % rounds)
