#!/usr/bin/env python3
# usage: perf/first-answer.py PORT QNAME COMMAND...  (loopback only)
# Starts COMMAND (namud), send a SOA query every 5 ms on 127.0.0.1:PORT, print
# the milliseconds from process start until the first reply
import socket, subprocess, sys, time, struct, os
port = int(sys.argv[1]); qname = sys.argv[2]; cmd = sys.argv[3:]
def q(name):
    out = struct.pack('>HHHHHH', 0x1234, 0x0100, 1, 0, 0, 0)
    for l in name.strip('.').split('.'):
        out += bytes([len(l)]) + l.encode()
    return out + b'\0' + struct.pack('>HH', 6, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(0.005)
t0 = time.monotonic(); p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    while time.monotonic() - t0 < 20:
        s.sendto(q(qname), ('127.0.0.1', port))
        try:
            d, _ = s.recvfrom(4096)
            if d[:2] == b'\x12\x34':
                print('%.0f' % ((time.monotonic() - t0) * 1000)); break
        except socket.timeout:
            pass
    else:
        print('no answer in 20 s')
finally:
    p.terminate(); p.wait(10)
