#!/usr/bin/python3
# ctl.py - host side of the test VMs' control channels.
#   ctl.py exec SOCK LOCK TIMEOUT CMD   run CMD in the guest, relay stdout,
#                                       stderr and exit code (255: no agent)
#   ctl.py wait SOCK LOCK TIMEOUT       wait until the agent answers
#   ctl.py hmp SOCK COMMAND             one qemu human monitor command
# Requests to one VM are serialised with flock on LOCK, because the qemu
# socket takes one client at a time. Replies carry the request id, so a
# stale reply left by an interrupted client is skipped.
import base64, fcntl, json, os, socket, sys, time, uuid


def call(sock_path, lock_path, timeout, cmd):
    deadline = time.time() + timeout
    with open(lock_path, "a") as lk:
        fcntl.flock(lk, fcntl.LOCK_EX)
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(max(1.0, deadline - time.time()))
        s.connect(sock_path)
        rid = uuid.uuid4().hex
        s.sendall((json.dumps({"id": rid, "cmd": cmd, "timeout": timeout}) + "\n").encode())
        buf = b""
        while True:
            s.settimeout(max(0.5, deadline + 5 - time.time()))
            chunk = s.recv(65536)
            if not chunk:
                raise ConnectionError("agent connection closed")
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                try:
                    r = json.loads(line)
                except ValueError:
                    continue
                if r.get("id") == rid:
                    s.close()
                    return r


def main():
    op = sys.argv[1]
    if op == "hmp":
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        s.connect(sys.argv[2])
        s.sendall((sys.argv[3] + "\n").encode())
        time.sleep(0.3)
        s.close()
        return 0
    sock, lock, timeout = sys.argv[2], sys.argv[3], float(sys.argv[4])
    if op == "wait":
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                if call(sock, lock, 10, "true")["rc"] == 0:
                    return 0
            except (OSError, ConnectionError):
                pass
            time.sleep(0.5)
        return 1
    try:
        r = call(sock, lock, timeout, sys.argv[5])
    except (OSError, ConnectionError) as e:
        print("vm: %s: %s" % (sock, e), file=sys.stderr)
        return 255
    sys.stdout.buffer.write(base64.b64decode(r["out"]))
    sys.stdout.flush()
    sys.stderr.buffer.write(base64.b64decode(r["err"]))
    return r["rc"]


if __name__ == "__main__":
    sys.exit(main())
