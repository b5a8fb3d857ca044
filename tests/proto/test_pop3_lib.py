"""test_pop3_lib - what the POP3 script tests share (not a test itself).

A real duplexd from $BUILD on loopback ports chosen here, with its data,
config, self-signed certificate and log in $TEST_TMP; accounts and mail are
made with duplexctl, as an operator would. check() reports each check as
"ok"/"FAIL got X, want Y" and finish() exits non-zero if any failed.
"""
import os
import signal
import socket
import ssl
import subprocess
import sys
import time

from ports import free_ports

BUILD = os.environ.get("BUILD", os.path.abspath("build"))
TMP = os.environ["TEST_TMP"]
DUPLEXD = os.path.join(BUILD, "duplexd")
CTL = os.path.join(BUILD, "duplexctl")
HOST = "127.0.0.1"
failures = []


def check(what, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + what + ("" if cond else ": " + str(detail)))
    sys.stdout.flush()
    if not cond:
        failures.append(what)


def finish():
    if failures:
        print("failed: %d: %s" % (len(failures), ", ".join(failures)))
        sys.exit(1)
    print("all passed")
    sys.exit(0)


def client_ctx():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def message(subject, body="hello\r\n", extra=""):
    return ("From: a@example.org\r\nTo: tomo@sample.com\r\nSubject: %s\r\n"
            "Message-ID: <%s@test>\r\n%s\r\n%s" % (subject, subject.replace(" ", "."), extra,
                                                  body)).encode()


class Daemon:
    """One duplexd with POP3 on a plain (STLS) and an implicit-TLS port."""

    def __init__(self, name="d", extra=""):
        self.name = name
        self.dir = os.path.join(TMP, name)
        os.makedirs(os.path.join(self.dir, "data"), exist_ok=True)
        self.pop3, self.pop3s = free_ports(2, HOST)
        self.cert = os.path.join(self.dir, "cert.pem")
        self.key = os.path.join(self.dir, "key.pem")
        self.log = os.path.join(self.dir, "duplexd.log")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                        "-keyout", self.key, "-out", self.cert, "-days", "2",
                        "-subj", "/CN=localhost"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.conf = os.path.join(self.dir, "duplex.conf")
        with open(self.conf, "w") as f:
            f.write(f"""# POP3 test config
data_dir = {self.dir}/data
control_socket = {self.dir}/control.sock
pid_file = {self.dir}/duplexd.pid
user =
map_size = 64M
log_level = info
imap_listen =
imaps_listen =
pop3_listen = {HOST}:{self.pop3}
pop3s_listen = {HOST}:{self.pop3s}
managesieve_listen =
lmtp_listen =
smtp_listen =
submission_listen =
submissions_listen =
tls_cert = {self.cert}
tls_key = {self.key}
worker_threads = 2
store_threads = 4
{extra}""")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([DUPLEXD, "-c", self.conf], stdout=subprocess.DEVNULL,
                                     stderr=open(self.log, "a"))
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit("duplexd exited: " + self.log_text()[-2000:])
            try:
                socket.create_connection((HOST, self.pop3), timeout=1).close()
                # the port accepts before the store and the control socket are up
                if subprocess.run([CTL, "-c", self.conf, "status"], capture_output=True,
                                  timeout=60).returncode == 0:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise SystemExit("duplexd did not start: " + self.log_text()[-2000:])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def log_text(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def ctl(self, args, stdin=b""):
        p = subprocess.run([CTL, "-c", self.conf] + args, input=stdin, capture_output=True,
                           timeout=60)
        if p.returncode != 0:
            raise SystemExit("duplexctl %s: %s" % (" ".join(args), p.stderr.decode()))
        return p.stdout.decode()

    def add_user(self, addr, password):
        domain = addr.split("@", 1)[1]
        p = subprocess.run([CTL, "-c", self.conf, "domain", "add", domain], capture_output=True,
                           timeout=60)
        if p.returncode != 0 and b"already exists" not in p.stderr:
            raise SystemExit("duplexctl domain add %s: %s" % (domain, p.stderr.decode()))
        self.ctl(["user", "add", addr, "--password-stdin"], (password + "\n").encode())

    def deliver(self, addr, msg):
        self.ctl(["deliver", addr], msg)
