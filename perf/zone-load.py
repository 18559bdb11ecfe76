#!/usr/bin/env python3
# usage: perf/zone-load.py PORT COMMAND...: start a server for bench.test. on 127.0.0.1:PORT, print the
# seconds until it answers "bench.test SOA" with NOERROR and data, the CPU seconds it had used by then
# (all threads; less disturbed than the wall time on a busy machine), and its RSS 3 s later
import os, socket, subprocess, sys, time, struct
port = int(sys.argv[1]); cmd = sys.argv[2:]
q = struct.pack('>HHHHHH', 0x1234, 0x0000, 1, 0, 0, 0) + b'\x05bench\x04test\x00' + struct.pack('>HH', 6, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.01)
t0 = time.monotonic(); p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
res = 'no answer in 120 s'
try:
    while time.monotonic() - t0 < 120:
        s.sendto(q, ('127.0.0.1', port))
        try:
            d, _ = s.recvfrom(4096)
            if d[:2] == b'\x12\x34' and (d[3] & 15) == 0 and struct.unpack('>H', d[6:8])[0] > 0:
                st = open(f'/proc/{p.pid}/stat').read().rsplit(')', 1)[1].split()
                cpu = (int(st[11]) + int(st[12])) / os.sysconf('SC_CLK_TCK')
                res = 'first SOA answer after %.2f s (CPU %.2f s)' % (time.monotonic() - t0, cpu); break
        except socket.timeout:
            pass
    time.sleep(3)
    rss = [l for l in open(f'/proc/{p.pid}/status') if l.startswith('VmRSS')][0].split()[1]
    print(res, '; RSS %d MiB' % (int(rss) // 1024))
finally:
    p.terminate(); p.wait(20)
