#!/usr/bin/env python3
# usage: perf/first-answer.py PORT QNAME COMMAND...  (loopback only)
# Starts COMMAND (namud), sends a SOA query for QNAME every 5 ms to 127.0.0.1:PORT and prints the
# milliseconds from process start until the first real answer: NOERROR with the SOA in the answer
# section (a SERVFAIL or REFUSED while the server is still starting does not count), and the CPU
# time the process had used by then (user + system, all threads: a figure the machine's other
# load disturbs less than the elapsed time).
import os, socket, subprocess, sys, time, struct
port = int(sys.argv[1]); qname = sys.argv[2]; cmd = sys.argv[3:]
def q(name):
    out = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0)
    for l in name.strip('.').split('.'):
        out += bytes([len(l)]) + l.encode()
    return out + b'\0' + struct.pack('>HH', 6, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.005)
t0 = time.monotonic(); p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
early = {}
try:
    while time.monotonic() - t0 < 20:
        s.sendto(q(qname), ('127.0.0.1', port))
        try:
            d, _ = s.recvfrom(4096)
            if d[:2] != b'\x12\x34' or len(d) < 12:
                continue
            rcode = d[3] & 15
            if rcode == 0 and struct.unpack('>H', d[6:8])[0] > 0:
                f = open(f'/proc/{p.pid}/stat').read().rsplit(')', 1)[1].split()
                cpu = (int(f[11]) + int(f[12])) * 1000 / os.sysconf('SC_CLK_TCK')
                print('%.0f ms, cpu %.0f ms' % ((time.monotonic() - t0) * 1000, cpu)
                      + ''.join(' (rcode %d first at %.0f ms)' % (k, v) for k, v in sorted(early.items())))
                break
            early.setdefault(rcode, (time.monotonic() - t0) * 1000)
        except socket.timeout:
            pass
    else:
        print('no answer in 20 s')
finally:
    p.terminate(); p.wait(10)
