"""clients.py - lean load-generator clients for `make bench`: raw-socket
IMAP, POP3 and LMTP that pipeline where the protocol allows and read
replies in large chunks, so the generator is not what is measured; and
run_workers(), which runs N client processes (not threads: no GIL between
them) that start together and each loop for a fixed time.
"""
import multiprocessing as mp
import re
import socket
import struct
import time

HOST = "127.0.0.1"
CHUNK = 1 << 20
LINGER0 = struct.pack("ii", 1, 0)


def connect(port):
    s = socket.create_connection((HOST, port))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    # close with RST: no TIME_WAIT pile-up across thousands of connections
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
    return s


class ServerError(Exception):
    pass


class Imap:
    def __init__(self, port):
        self.s = connect(port)
        self.buf = bytearray()
        self.n = 0
        self._until(b"\r\n")
        if not self.buf.startswith(b"* OK"):
            raise ServerError(bytes(self.buf[:200]))
        del self.buf[:]

    def _until(self, marker, start=0):
        """read until marker occurs in buf at or after start; return its index"""
        pos = start
        while True:
            i = self.buf.find(marker, pos)
            if i >= 0:
                return i
            pos = max(start, len(self.buf) - len(marker))
            d = self.s.recv(CHUNK)
            if not d:
                raise ServerError("connection closed")
            self.buf += d

    def send(self, data):
        self.s.sendall(data)

    def tag(self):
        self.n += 1
        return b"T%d" % self.n

    def wait(self, tag):
        """the response of tag: (status, whole response bytes)"""
        needle = b"\r\n" + tag + b" "
        self.buf[0:0] = b"\r\n"
        i = self._until(needle)
        end = self._until(b"\r\n", i + len(needle))
        resp = bytes(self.buf[:end + 2])
        del self.buf[:end + 2]
        status = resp[i + len(needle):].split(b" ", 1)[0]
        return status, resp

    def cmd(self, line, ok=True):
        t = self.tag()
        self.send(t + b" " + line + b"\r\n")
        status, resp = self.wait(t)
        if ok and status != b"OK":
            raise ServerError(line[:60] + b": " + resp[-300:])
        return status, resp

    def login(self, user, password):
        self.cmd(b"LOGIN %s %s" % (user.encode(), password.encode()))

    def append(self, mailbox, msg, flags=b"(\\Seen)"):
        t = self.tag()
        self.send(b"%s APPEND %s %s {%d+}\r\n%s\r\n" % (t, mailbox, flags, len(msg), msg))
        status, resp = self.wait(t)
        if status != b"OK":
            raise ServerError(b"APPEND: " + resp[-300:])

    def exists(self, resp):
        m = re.findall(rb"\* (\d+) EXISTS", resp)
        return int(m[-1]) if m else 0

    def close(self):
        try:
            self.s.sendall(b"Z LOGOUT\r\n")
        except OSError:
            pass
        self.s.close()


class Pop3:
    def __init__(self, port, user, password):
        self.s = connect(port)
        self.f = self.s.makefile("rb")
        self._ok(self.f.readline())
        self.s.sendall(b"USER %s\r\nPASS %s\r\n" % (user.encode(), password.encode()))
        self._ok(self.f.readline())
        self._ok(self.f.readline())

    @staticmethod
    def _ok(line):
        if not line.startswith(b"+OK"):
            raise ServerError(line)
        return line

    def stat(self):
        self.s.sendall(b"STAT\r\n")
        return int(self._ok(self.f.readline()).split()[1])

    def multi(self, cmds, n):
        """send cmds at once (PIPELINING), read n multi-line replies; bytes read"""
        self.s.sendall(cmds)
        total, seen, tail = 0, 0, b""
        while seen < n:
            d = self.f.read1(CHUNK)
            if not d:
                raise ServerError("connection closed")
            total += len(d)
            seen += (tail + d).count(b"\r\n.\r\n")
            tail = d[-4:]
        return total

    def close(self):
        try:
            self.s.sendall(b"QUIT\r\n")
            self.f.readline()
        except OSError:
            pass
        self.s.close()


class Lmtp:
    def __init__(self, port):
        self.s = connect(port)
        self.f = self.s.makefile("rb")
        self._reply()
        self.s.sendall(b"LHLO bench.test\r\n")
        self._reply()

    def _reply(self):
        while True:
            line = self.f.readline()
            if not line:
                raise ServerError("connection closed")
            if line[3:4] != b"-":
                return line

    def deliver(self, rcpts, msg):
        """one pipelined transaction; msg has CRLF lines and no leading dots"""
        self.s.sendall(b"MAIL FROM:<bench@bench.test>\r\n" +
                       b"".join(b"RCPT TO:<%s>\r\n" % r.encode() for r in rcpts) + b"DATA\r\n")
        for _ in range(len(rcpts) + 1):
            r = self._reply()
            if r[:1] != b"2":
                raise ServerError(r)
        r = self._reply()
        if r[:3] != b"354":
            raise ServerError(r)
        self.s.sendall(msg + b".\r\n")
        for _ in rcpts:
            r = self._reply()
            if r[:1] != b"2":
                raise ServerError(r)

    def close(self):
        try:
            self.s.sendall(b"QUIT\r\n")
        except OSError:
            pass
        self.s.close()


def _child(fn, i, args, seconds, barrier, q):
    try:
        state = fn(i, args, None, "setup")
        barrier.wait()
        t0 = time.monotonic()
        counts = fn(i, args, (state, t0 + seconds), "run")
        q.put((i, counts, time.monotonic() - t0, None))
    except Exception as e:  # noqa: BLE001 - reported to the parent
        try:
            barrier.abort()
        except Exception:  # noqa: BLE001
            pass
        q.put((i, {}, 0.0, repr(e)[:300]))


def run_workers(fn, n, args, seconds):
    """fn(i, args, None, "setup") -> state, then fn(i, args, (state, deadline),
    "run") -> {op: count}; returns ({op: per second}, error or None)"""
    ctx = mp.get_context("fork")
    barrier, q = ctx.Barrier(n), ctx.Queue()
    ps = [ctx.Process(target=_child, args=(fn, i, args, seconds, barrier, q)) for i in range(n)]
    for p in ps:
        p.start()
    res = [q.get() for _ in ps]
    for p in ps:
        p.join()
    errs = [r[3] for r in res if r[3]]
    if errs:
        return {}, errs[0]
    el = sum(r[2] for r in res) / n
    total = {}
    for r in res:
        for k, v in r[1].items():
            total[k] = total.get(k, 0) + v
    return {k: v / el for k, v in total.items()}, None
