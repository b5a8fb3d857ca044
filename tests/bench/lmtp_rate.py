#!/usr/bin/env python3
"""lmtp_rate.py - LMTP delivery rate of a real duplexd with 1 and 10
concurrent connections (not part of make check).

usage: BUILD=build TEST_TMP=$(mktemp -d) tests/bench/lmtp_rate.py [SECONDS]
Each connection delivers 2 KB single-recipient messages back to back for
SECONDS (default 5); a message counts once its 250 (after the durable
commit) arrived. The data dir is $TEST_TMP, so its filesystem decides
the fsync cost: run it on the disk you care about.
"""
import os
import smtplib
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "proto"))
from test_lmtp_lib import Duplexd  # noqa: E402

SECONDS = float(sys.argv[1]) if len(sys.argv) > 1 else 5.0
d = Duplexd(name="bench", smtp=False)
d.must("domain", "add", "bench.test")
for i in range(10):
    d.must("user", "add", f"u{i}@bench.test")
d.start()
BODY = b"Subject: bench\r\n\r\n" + (b"x" * 78 + b"\r\n") * 25


def worker(i, stop, counts):
    lm = smtplib.LMTP("127.0.0.1", d.lmtp_port)
    lm.ehlo("bench.test")
    n = 0
    while not stop.is_set():
        lm.sendmail("b@bench.test", [f"u{i}@bench.test"], BODY)
        n += 1
    lm.quit()
    counts[i] = n


try:
    for conns in (1, 10):
        stop, counts = threading.Event(), [0] * conns
        ts = [threading.Thread(target=worker, args=(i, stop, counts)) for i in range(conns)]
        t0 = time.time()
        for t in ts:
            t.start()
        time.sleep(SECONDS)
        stop.set()
        for t in ts:
            t.join()
        dt = time.time() - t0
        print(f"{conns:2d} connection(s): {sum(counts)} messages in {dt:.1f} s = "
              f"{sum(counts) / dt:.0f} msg/s", flush=True)
finally:
    d.stop()
