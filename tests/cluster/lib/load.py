#!/usr/bin/python3
# load.py - LMTP load generator for the cluster scenarios, run in the test
# namespace against the VIP. CONNS connections deliver one message at a
# time, each with a unique Message-ID, reconnecting on any error. Every
# Message-ID whose DATA was sent is appended to OUT with its time and "250"
# (acknowledged) or "noack" (no 250: error, reset, timeout), flushed at
# once; it runs until the file STOP exists, then prints
# "acked=N attempts=M maxgap=S" (maxgap: longest time without an ack).
# Each connection pauses DELAY seconds between messages, so the load does
# not starve the emulated guests.
#   load.py HOST PORT CONNS OUT STOP [DELAY]
import os, socket, sys, threading, time, uuid

host, port, conns, out, stop = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
delay = float(sys.argv[6]) if len(sys.argv) > 6 else 0.2
lock = threading.Lock()
acks = []
attempts = [0]
outf = open(out, "a", buffering=1)
start = time.time()


def session(f, s):
    def expect(code):
        line = f.readline()
        if not line.startswith(code):
            raise IOError("unexpected %r" % line)
        return line
    expect("220")
    s.sendall(b"LHLO loadgen\r\n")
    while True:
        if expect("250")[3:4] == " ":
            break
    while not os.path.exists(stop):
        mid = "%s@loadgen" % uuid.uuid4().hex
        with lock:
            attempts[0] += 1
        s.sendall(b"MAIL FROM:<load@example.org>\r\nRCPT TO:<test@example.org>\r\nDATA\r\n")
        expect("250")
        expect("250")
        expect("354")
        s.sendall(("Message-ID: <%s>\r\nSubject: load\r\n\r\nbody %s\r\n.\r\n" % (mid, mid)).encode())
        try:
            expect("250")
        except (OSError, IOError):
            with lock:
                outf.write("%s %.3f noack\n" % (mid, time.time()))
            raise
        now = time.time()
        with lock:
            acks.append(now)
            outf.write("%s %.3f 250\n" % (mid, now))
        time.sleep(delay)


def worker():
    while not os.path.exists(stop):
        try:
            s = socket.create_connection((host, port), timeout=3)
            s.settimeout(15)
            with s, s.makefile("r", newline="\r\n") as f:
                session(f, s)
        except (OSError, IOError):
            time.sleep(0.2)


threads = [threading.Thread(target=worker, daemon=True) for _ in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
end = time.time()
points = [start] + sorted(acks) + [end]
gap = max(b - a for a, b in zip(points, points[1:]))
print("acked=%d attempts=%d maxgap=%.1f" % (len(acks), attempts[0], gap))
