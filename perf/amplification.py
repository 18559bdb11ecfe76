#!/usr/bin/env python3
"""One source's flood of identical (or random) UDP queries at a server on loopback, and what comes
back: queries and bytes sent, replies by kind and bytes received. Used by amplification.sh.

usage: amplification.py ADDR PORT SOURCE QNAME QTYPE COUNT
  QNAME may hold {rand}: each query then gets a fresh random label there
prints one line: sent bytes_in replies bytes_out full truncated other
"""
import os, random, select, socket, struct, sys, threading, time

TYPES = {"A": 1, "NS": 2, "SOA": 6, "TXT": 16, "ANY": 255}


def query(qid, name, qtype):
    wire = struct.pack(">HHHHHH", qid, 0, 1, 0, 0, 1)  # no RD: an authoritative question
    for label in name.rstrip(".").split("."):
        wire += bytes([len(label)]) + label.encode()
    wire += b"\0" + struct.pack(">HH", TYPES[qtype], 1)
    # OPT: payload 1232, no flags, no options (what a reflection attack asks for: big answers)
    return wire + b"\0" + struct.pack(">HHIH", 41, 1232, 0, 0)


def main():
    addr, port, source, qname, qtype, count = sys.argv[1:7]
    port, count = int(port), int(count)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)  # SO_RCVBUFFORCE (root): keep every reply
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16 << 20)
    s.bind((source, 0))
    stats = {"replies": 0, "bytes": 0, "full": 0, "tc": 0, "other": 0}
    done = threading.Event()

    def receive():
        while True:
            r, _, _ = select.select([s], [], [], 0.2)
            if not r:
                if done.is_set():
                    return
                continue
            data = s.recv(65535)
            stats["replies"] += 1
            stats["bytes"] += len(data)
            flags, an, ns = struct.unpack(">H", data[2:4])[0], *struct.unpack(">HH", data[6:10])
            if flags & 0x0200:
                stats["tc"] += 1
            elif an > 0 or ns > 0:
                stats["full"] += 1
            else:
                stats["other"] += 1

    t = threading.Thread(target=receive)
    t.start()
    rnd = random.Random(7)
    sent_bytes = 0
    for i in range(count):
        name = qname.replace("{rand}", "%08x" % rnd.getrandbits(32))
        q = query(i & 0xFFFF, name, qtype)
        while True:
            try:
                s.sendto(q, (addr, port))
                break
            except BlockingIOError:
                time.sleep(0.001)
        sent_bytes += len(q)
    time.sleep(2)  # replies still in flight; the receiver stops after 0.2 s of quiet past this
    done.set()
    t.join()
    print(count, sent_bytes, stats["replies"], stats["bytes"], stats["full"], stats["tc"], stats["other"])


if __name__ == "__main__":
    main()
