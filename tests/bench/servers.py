"""servers.py - the two servers `make bench` compares: duplexd from $BUILD
and Dovecot from Debian, each on its own loopback ports under a temporary
directory on a real disk (not part of make check).

Both serve IMAP, POP3 and LMTP in plain text (no TLS on either side) with
the same users and password, and both keep their default durability:
duplexd acknowledges after its LMDB commit with LMDB's default sync, and
Dovecot runs with its default mail_fsync = optimized. Limits that would
refuse the benchmark's own load (connections per IP or per user, process
counts) are raised on both; nothing that touches a commit is changed.
Dovecot runs as a single non-system instance: its own config (-c), base_dir,
state and log, listeners on unprivileged ports, mail owned by nobody.
"""
import ctypes
import ctypes.util
import os
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

HOST = "127.0.0.1"
PASSWORD = "benchpw"
DOMAIN = "bench.test"


def yescrypt(password):
    """the same kind of hash duplexd stores (libcrypt, "$y$", default cost),
    so both servers pay the same for a login"""
    lib = ctypes.CDLL(ctypes.util.find_library("crypt") or "libcrypt.so.1")
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    salt = lib.crypt_gensalt(b"$y$", 0, None, 0)
    return lib.crypt(password.encode(), salt).decode()


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_port(port, proc, what, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port}")


def proc_tree(root_pid):
    """root_pid and all its descendants, from /proc"""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [root_pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def memory_kb(root_pid):
    """(sum of RSS, sum of anonymous PSS) in KB over the server's process tree.
    RSS counts mapped file pages too (duplexd maps its whole LMDB file, so
    pages touched by earlier workloads show up); anonymous PSS is the memory
    the processes themselves own (heap, stacks, shared memory), each shared
    page split among its sharers."""
    rss = anon = 0
    for p in proc_tree(root_pid):
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith(("Pss_Anon:", "Pss_Shmem:")):
                        anon += int(line.split()[1])
        except OSError:
            pass
    return rss, anon


class Server:
    name = "?"

    def __init__(self, root, users):
        self.dir = os.path.join(root, self.name)
        os.makedirs(self.dir)
        self.users = users
        self.imap = free_port()
        self.pop3 = free_port()
        self.lmtp = free_port()
        self.proc = None

    def memory_kb(self):
        return memory_kb(self.proc.pid)

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


class Duplex(Server):
    name = "duplex"

    def __init__(self, root, users, build):
        super().__init__(root, users)
        self.build = build
        self.conf = os.path.join(self.dir, "duplex.conf")
        os.makedirs(os.path.join(self.dir, "data"))
        cert, key = os.path.join(self.dir, "cert.pem"), os.path.join(self.dir, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                        "-out", cert, "-days", "2", "-subj", "/CN=localhost"],
                       check=True, capture_output=True)
        with open(self.conf, "w") as f:
            f.write(f"""# make bench: defaults except ports, paths and connection limits
data_dir = {self.dir}/data
control_socket = {self.dir}/control.sock
pid_file = {self.dir}/duplexd.pid
user =
imap_listen = {HOST}:{self.imap}
imaps_listen =
pop3_listen = {HOST}:{self.pop3}
pop3s_listen =
managesieve_listen =
lmtp_listen = {HOST}:{self.lmtp}
smtp_listen =
submission_listen =
submissions_listen =
allow_plaintext_auth = yes
max_connections_per_ip = 0
max_connections = 0
hostname = duplex.bench.test
tls_cert = {cert}
tls_key = {key}
""")

    def ctl(self, *args, stdin=b""):
        p = subprocess.run([os.path.join(self.build, "duplexctl"), "-c", self.conf] + list(args),
                           input=stdin, capture_output=True, timeout=3600)
        if p.returncode != 0:
            raise RuntimeError(f"duplexctl {' '.join(args)}: {p.stderr.decode()}")
        return p.stdout.decode()

    def start(self):
        self.log = open(os.path.join(self.dir, "duplexd.log"), "a")
        self.proc = subprocess.Popen([os.path.join(self.build, "duplexd"), "-c", self.conf],
                                     stdout=self.log, stderr=self.log)
        for port in (self.imap, self.pop3, self.lmtp):
            wait_port(port, self.proc, "duplexd")
        deadline = time.time() + 30
        while subprocess.run([os.path.join(self.build, "duplexctl"), "-c", self.conf, "status"],
                             capture_output=True).returncode != 0:
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("duplexd's control socket does not answer")
            time.sleep(0.1)
        # accounts through the running daemon's control socket, a few at a time
        # (each hashes its password)
        self.ctl("domain", "add", DOMAIN)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as ex:
            list(ex.map(lambda u: self.ctl("user", "add", u, "--password-stdin",
                                           stdin=(PASSWORD + "\n").encode()), self.users))

    def set_sieve(self, user, script):
        """the user's active Sieve script (stored compiled, as ManageSieve would)"""
        self.ctl("sieve", "put", user, "bench", stdin=script.encode())
        self.ctl("sieve", "activate", user, "bench")

    def clear_sieve(self, user):
        self.ctl("sieve", "deactivate", user)

    def fill(self, user, maildir):
        """import a Maildir (not timed); the source is left in place"""
        self.ctl("import", "maildir", user, maildir)

    def pids(self):
        return [self.proc.pid]


class Dovecot(Server):
    name = "dovecot"

    def __init__(self, root, users):
        super().__init__(root, users)
        self.mail = os.path.join(self.dir, "mail")
        self.conf = os.path.join(self.dir, "dovecot.conf")
        os.makedirs(self.mail)
        os.chown(self.mail, 65534, 65534)
        h = yescrypt(PASSWORD)
        with open(os.path.join(self.dir, "passwd"), "w") as f:
            for u in users:
                f.write(f"{u}:{{CRYPT}}{h}::::::\n")
        d = self.dir
        with open(self.conf, "w") as f:
            f.write(f"""# make bench: Dovecot defaults (mail_fsync = optimized) except what makes
# it a private instance on loopback and what the benchmark's load needs.
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
instance_name = duplex-bench-{os.getpid()}
protocols = imap pop3 lmtp
listen = {HOST}
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 65534
mail_uid = 65534
mail_gid = 65534
default_login_user = dovenull
default_internal_user = dovecot
default_process_limit = 12000
default_client_limit = 25000
default_vsz_limit = 1G
mail_max_userip_connections = 25000
postmaster_address = postmaster@{DOMAIN}
hostname = dovecot.{DOMAIN}
passdb {{
  driver = passwd-file
  args = scheme=CRYPT {d}/passwd
}}
userdb {{
  driver = static
  args = home={self.mail}/%d/%n
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {self.imap}
  }}
  inet_listener imaps {{
    port = 0
  }}
  # high-performance login mode: a few long-lived login processes
  service_count = 0
  process_min_avail = 2
  client_limit = 12000
}}
service pop3-login {{
  inet_listener pop3 {{
    address = {HOST}
    port = {self.pop3}
  }}
  inet_listener pop3s {{
    port = 0
  }}
}}
service lmtp {{
  inet_listener lmtp {{
    address = {HOST}
    port = {self.lmtp}
  }}
  unix_listener lmtp {{
    mode = 0
  }}
}}
service imap {{
  process_limit = 12000
}}
service anvil {{
  client_limit = 40000
}}
service auth {{
  client_limit = 40000
}}
protocol imap {{
  mail_max_userip_connections = 25000
}}
protocol pop3 {{
  mail_max_userip_connections = 25000
}}
# Pigeonhole at delivery, as a site with user filters runs it; a user without
# a script costs a stat of its file
protocol lmtp {{
  mail_plugins = $mail_plugins sieve
}}
plugin {{
  sieve = file:~/sieve;active=~/.dovecot.sieve
}}
""")

    def home(self, user):
        local, dom = user.split("@")
        return os.path.join(self.mail, dom, local)

    def start(self):
        for u in self.users:
            self._own(os.makedirs, self.home(u))
        self.log = open(os.path.join(self.dir, "dovecot.stderr"), "a")
        self.proc = subprocess.Popen(["dovecot", "-F", "-c", self.conf],
                                     stdout=self.log, stderr=self.log)
        for port in (self.imap, self.pop3, self.lmtp):
            wait_port(port, self.proc, "dovecot")

    def set_sieve(self, user, script):
        """the user's active script, compiled once before the timed run (sievec),
        as Pigeonhole would on the first delivery"""
        path = os.path.join(self.home(user), ".dovecot.sieve")
        with open(path, "w") as f:
            f.write(script)
        subprocess.run(["sievec", "-c", self.conf, path], check=True, capture_output=True)
        for p in (path, path[:-len(".sieve")] + ".svbin"):
            os.chown(p, 65534, 65534)

    def clear_sieve(self, user):
        for ext in (".sieve", ".svbin"):
            try:
                os.unlink(os.path.join(self.home(user), ".dovecot" + ext))
            except FileNotFoundError:
                pass

    def _own(self, fn, path):
        fn(path, exist_ok=True)
        p = path
        while p.startswith(self.mail):
            os.chown(p, 65534, 65534)
            p = os.path.dirname(p)

    def fill(self, user, maildir):
        """move a Maildir in place and let Dovecot index it (not timed)"""
        dest = os.path.join(self.home(user), "Maildir")
        shutil.rmtree(dest, ignore_errors=True)
        os.rename(maildir, dest)
        subprocess.run(["chown", "-R", "65534:65534", self.home(user)], check=True)
        subprocess.run(["doveadm", "-c", self.conf, "force-resync", "-u", user, "INBOX"],
                       check=True, capture_output=True, timeout=3600)
        # what a delivery would have recorded (sizes in the index), so that
        # the first timed SELECT does not pay for reading every file once
        subprocess.run(["doveadm", "-c", self.conf, "fetch", "-u", user,
                        "uid flags size.virtual size.physical", "mailbox", "INBOX"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       timeout=3600)

    def pids(self):
        return proc_tree(self.proc.pid)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            subprocess.run(["doveadm", "-c", self.conf, "stop"], capture_output=True, timeout=60)
        super().stop()
