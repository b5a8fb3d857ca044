"""test_lmtp_lib - shared helpers of the LMTP/SMTP script tests (not a test:
it is not executable, so tests/run-scripts skips it).

A Duplexd runs the real daemon from $BUILD in the foreground on free
loopback ports with its own data dir and config in $TEST_TMP, logging to a
file; ctl() runs duplexctl against it.
"""
import os
import re
import socket
import subprocess
import sys
import time

from ports import free_port, free_ports  # the scripts import them from here too

BUILD = os.environ["BUILD"]
TMP = os.environ["TEST_TMP"]
DUPLEXD = os.path.join(BUILD, "duplexd")
CTL = os.path.join(BUILD, "duplexctl")
failures = []


def check(what, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + what + ("" if cond else ": " + str(detail)), flush=True)
    if not cond:
        failures.append(what)
    return cond


def finish():
    if failures:
        print("failed: " + ", ".join(failures))
        sys.exit(1)
    print("all ok")
    sys.exit(0)


def make_cert(directory):
    cert, key = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=localhost"],
                   check=True, capture_output=True)
    return cert, key


class Duplexd:
    def __init__(self, name="d", extra="", smtp=True, max_message_size="1M"):
        self.dir = os.path.join(TMP, name)
        os.makedirs(os.path.join(self.dir, "data"), exist_ok=True)
        self.cert, self.key = make_cert(self.dir)
        self.lmtp_port, self.smtp_port = free_ports(2) if smtp else (free_port(), None)
        self.conf = os.path.join(self.dir, "duplex.conf")
        self.log = os.path.join(self.dir, "duplexd.log")
        with open(self.conf, "w") as f:
            f.write(f"""data_dir = {self.dir}/data
control_socket = {self.dir}/control.sock
pid_file = {self.dir}/duplexd.pid
user =
map_size = 256M
max_message_size = {max_message_size}
hostname = store.test
log_level = info
imap_listen =
imaps_listen =
pop3_listen =
pop3s_listen =
managesieve_listen =
submission_listen =
submissions_listen =
lmtp_listen = 127.0.0.1:{self.lmtp_port}
smtp_listen = {"127.0.0.1:%d" % self.smtp_port if smtp else ""}
tls_cert = {self.cert}
tls_key = {self.key}
{extra}
""")
        self.proc = None

    def start(self, wrap=()):
        """run duplexd in the foreground, behind the command prefix wrap (like prlimit)"""
        logf = open(self.log, "a")
        self.proc = subprocess.Popen(list(wrap) + [DUPLEXD, "-c", self.conf], stdout=logf,
                                     stderr=logf)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("duplexd exited: " + self.logtext()[-2000:])
            try:
                socket.create_connection(("127.0.0.1", self.lmtp_port), timeout=1).close()
                # the socket file of a killed daemon may linger: ask the new one
                if self.ctl("status")[0] == 0:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise RuntimeError("duplexd did not start")

    def stop(self, sig=15, timeout=20):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        self.proc = None
        return rc

    def logtext(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def ctl(self, *args, stdin=b""):
        p = subprocess.run([CTL, "-c", self.conf] + list(args), input=stdin, capture_output=True,
                           timeout=120)
        return p.returncode, p.stdout.decode(errors="replace"), p.stderr.decode(errors="replace")

    def must(self, *args):
        rc, out, err = self.ctl(*args)
        if rc != 0:
            raise RuntimeError(f"duplexctl {' '.join(args)}: {rc} {out} {err}")
        return out

    def export(self, address, mailbox="INBOX"):
        return self.must("export", "mbox", address, mailbox)

    def message_ids(self, address, mailbox="INBOX"):
        return re.findall(r"(?mi)^Message-ID:\s*<([^>]*)>", self.export(address, mailbox))
