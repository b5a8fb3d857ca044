"""imap_harness - a real duplexd for the IMAP tests, and a raw IMAP client.

Daemon(tmp) writes a config with free loopback ports for imap_listen and
imaps_listen, a self-signed certificate, creates sample.com with users
tomo@sample.com and ann@sample.com (password "secret pw"), starts duplexd
in the foreground and stops it. Raw(port, tls) speaks IMAP line by line:
cmd() sends a tagged command and returns the untagged lines and the tagged
reply. check() records failures; finish() exits 1 if any.
"""
import os
import socket
import ssl
import subprocess
import time

from ports import free_ports

HOST = "127.0.0.1"
PASSWORD = "secret pw"
failures = []


def check(what, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + what + ("" if cond else ": " + str(detail)[:2000]))
    if not cond:
        failures.append(what)


def finish():
    if failures:
        print("failed: %d: %s" % (len(failures), ", ".join(failures)))
        raise SystemExit(1)
    print("all passed")


def client_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Daemon:
    def __init__(self, tmp, extra=""):
        self.tmp = tmp
        self.build = os.environ["BUILD"]
        self.port, self.sport = free_ports(2, HOST)
        self.cert, self.key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                        self.key, "-out", self.cert, "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        data = os.path.join(tmp, "data")
        os.makedirs(data, exist_ok=True)
        self.conf = os.path.join(tmp, "duplex.conf")
        with open(self.conf, "w") as f:
            f.write(f"""data_dir = {data}
control_socket = {tmp}/ctl.sock
pid_file = {tmp}/duplexd.pid
user =
map_size = 64M
max_message_size = 1M
imap_listen = {HOST}:{self.port}
imaps_listen = {HOST}:{self.sport}
pop3_listen =
pop3s_listen =
managesieve_listen =
lmtp_listen =
submission_listen =
submissions_listen =
tls_cert = {self.cert}
tls_key = {self.key}
log_level = debug
{extra}""")
        self.ctl(["domain", "add", "sample.com"])
        for u in ("tomo@sample.com", "ann@sample.com"):
            self.ctl(["user", "add", u, "--password-stdin"], (PASSWORD + "\n").encode())
        self.log = open(os.path.join(tmp, "duplexd.log"), "w")
        self.proc = subprocess.Popen([os.path.join(self.build, "duplexd"), "-c", self.conf],
                                     stderr=self.log, stdout=self.log)
        # the ports accept as soon as they are bound, before the store and the
        # control socket are up: wait for both
        ctl = [os.path.join(self.build, "duplexctl"), "-c", self.conf, "status"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                socket.create_connection((HOST, self.sport), timeout=1).close()
                if subprocess.run(ctl, capture_output=True, timeout=30).returncode == 0:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("duplexd did not start; see " + self.log.name)

    def ctl(self, args, stdin=b""):
        p = subprocess.run([os.path.join(self.build, "duplexctl"), "-c", self.conf] + args,
                           input=stdin, capture_output=True, timeout=60)
        if p.returncode != 0:
            raise SystemExit("duplexctl %s: %s" % (args, p.stderr.decode()))
        return p.stdout.decode()

    def deliver(self, user, msg, mailbox=None):
        self.ctl(["deliver"] + (["-m", mailbox] if mailbox else []) + [user], msg)

    def rss_kb(self):
        for line in open("/proc/%d/status" % self.proc.pid):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def message(subject, body="hello\r\n", frm="a@example.org", extra=""):
    return (f"From: {frm}\r\nTo: tomo@sample.com\r\nSubject: {subject}\r\n"
            f"Date: Mon, 7 Feb 1994 21:52:25 -0800\r\n"
            f"Message-ID: <{subject.replace(' ', '.')}@test>\r\n{extra}\r\n{body}").encode()


class Raw:
    """A raw IMAP client: lines in, lines out, literals kept inline."""

    def __init__(self, port, tls=False, greet=True, timeout=10):
        self.sock = socket.create_connection((HOST, port), timeout=timeout)
        if tls:
            self.sock = client_ctx().wrap_socket(self.sock)
        self.buf = b""
        self.n = 0
        self.greeting = self.line() if greet else None

    def send(self, data):
        self.sock.sendall(data)

    def recv(self):
        """Bytes from the server; a compressing client inflates them here."""
        return self.sock.recv(65536)

    def line(self):
        """One response line, literals included inline ({n}\\r\\n + data)."""
        out = b""
        while True:
            while b"\r\n" not in self.buf:
                d = self.recv()
                if not d:
                    raise EOFError("closed; have %r" % (out + self.buf)[:200])
                self.buf += d
            ln, self.buf = self.buf.split(b"\r\n", 1)
            out += ln
            if ln.endswith(b"}") and b"{" in ln:
                size = int(ln[ln.rindex(b"{") + 1:-1].rstrip(b"+"))
                while len(self.buf) < size:
                    d = self.recv()
                    if not d:
                        raise EOFError("closed in a literal")
                    self.buf += d
                out += b"\r\n" + self.buf[:size]
                self.buf = self.buf[size:]
                continue
            return out

    def cmd(self, text, tag=None):
        """Send 'tag text'; return (untagged lines, tagged line) as str."""
        self.n += 1
        tag = tag or "a%d" % self.n
        self.send(tag.encode() + b" " + (text if isinstance(text, bytes) else text.encode())
                  + b"\r\n")
        return self.until(tag)

    def until(self, tag):
        lines = []
        while True:
            ln = self.line().decode("utf-8", "replace")
            if ln.startswith(tag + " "):
                return lines, ln
            lines.append(ln)

    def login(self, user="tomo@sample.com"):
        return self.cmd('LOGIN %s "%s"' % (user, PASSWORD))

    def starttls(self):
        u, t = self.cmd("STARTTLS")
        self.sock = client_ctx().wrap_socket(self.sock)
        return t

    def eof(self):
        try:
            while True:
                if not self.sock.recv(65536):
                    return True
        except (ConnectionResetError, ssl.SSLError, BrokenPipeError):
            return True
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()
