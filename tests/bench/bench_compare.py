#!/usr/bin/env python3
"""bench_compare.py - `make bench`: Duplex side by side with Dovecot from
Debian, as ratios from one run (not part of make check; no assertions).

Starts duplexd ($BUILD) and a private Dovecot on loopback under a temporary
directory on a real disk ($BENCH_DIR, default /var/tmp), both at their
default durability, and runs every workload against both, interleaved (the
order alternates per round), three rounds. Prints a table of the medians
with the ratio Duplex/Dovecot and which direction is better, writes
tests/bench/results.json and tests/bench/results.png (gnuplot). A workload a
server cannot serve is reported as "n/a (reason)".

QUICK=1 shortens every timed run and the fills and skips 10k IDLE, to stay
under five minutes. BENCH_ONLY=lmtp,imap100k,... runs a subset.
"""
import json
import os
import random
import re
import resource
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import clients  # noqa: E402
import mailgen  # noqa: E402
import servers  # noqa: E402
from clients import Imap, Lmtp, Pop3, ServerError, run_workers  # noqa: E402

QUICK = os.environ.get("QUICK", "") not in ("", "0")
BUILD = os.path.abspath(os.environ.get("BUILD", "build"))
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
RUNS = 3
PW = servers.PASSWORD
D = servers.DOMAIN

if QUICK:
    LMTP_SECONDS, APPEND_SECONDS, MIXED_SECONDS = 1.5, 2.0, 4.0
    BIG, POP_MSGS, MIXED_MSGS, IDLE_COUNTS = 10_000, 1000, 20, (1000,)
else:
    LMTP_SECONDS, APPEND_SECONDS, MIXED_SECONDS = 8.0, 8.0, 20.0
    BIG, POP_MSGS, MIXED_MSGS, IDLE_COUNTS = 100_000, 2000, 100, (1000, 10_000)
BIG_CAP = 64 * 1024          # big-mailbox fill: the same spread, capped to keep the fill short
LMTP_USERS = [f"l{i}@{D}" for i in range(100)]
APPEND_USERS = [f"a{i}@{D}" for i in range(4)]
MIXED_USERS = [f"m{i}@{D}" for i in range(100)]
BIG_USER, POP_USER, IDLE_USER = f"big@{D}", f"pop@{D}", f"idle@{D}"
ALL_USERS = LMTP_USERS + APPEND_USERS + MIXED_USERS + [BIG_USER, POP_USER, IDLE_USER]


def log(*a):
    print(*a, flush=True)


# --- result table -------------------------------------------------------

class Results:
    def __init__(self):
        self.rows = {}     # key -> {"unit", "better", "duplex": [..], "dovecot": [..], "na": {}}
        self.order = []

    def add(self, workload, unit, better, server, value, na=None):
        if workload not in self.rows:
            self.rows[workload] = {"unit": unit, "better": better, "duplex": [], "dovecot": [],
                                   "na": {}}
            self.order.append(workload)
        r = self.rows[workload]
        if na is not None:
            r["na"][server] = na
        else:
            r[server].append(value)
        log(f"  {workload:<46} {server:<8} " +
            (f"n/a ({na})" if na is not None else f"{value:12.1f} {unit}"))

    def table(self):
        out = []
        for w in self.order:
            r = self.rows[w]
            cell = {}
            for s in ("duplex", "dovecot"):
                if r["na"].get(s) is not None:
                    cell[s] = None
                elif r[s]:
                    cell[s] = statistics.median(r[s])
                else:
                    cell[s] = None
            ratio = (cell["duplex"] / cell["dovecot"]
                     if cell["duplex"] is not None and cell["dovecot"] else None)
            out.append({"workload": w, "unit": r["unit"], "duplex": cell["duplex"],
                        "dovecot": cell["dovecot"], "ratio": ratio, "better": r["better"],
                        "runs": {"duplex": r["duplex"], "dovecot": r["dovecot"]},
                        "na": r["na"] or None})
        return out


def fmt(v):
    if v is None:
        return "-"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.2f}" if abs(v) < 10 else f"{v:.1f}"


def print_table(rows):
    log("")
    log(f"{'workload':<46} {'unit':<8} {'duplex':>12} {'dovecot':>12} {'D/Dc':>7}  "
        f"{'better':<6} {'advantage':>9}")
    log("-" * 108)
    for r in rows:
        d = "n/a (%s)" % r["na"]["duplex"] if r["na"] and r["na"].get("duplex") else fmt(r["duplex"])
        v = "n/a (%s)" % r["na"]["dovecot"] if r["na"] and r["na"].get("dovecot") else fmt(r["dovecot"])
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.2f}"
        adv = "-"
        if r["ratio"]:
            a = r["ratio"] if r["better"] == "higher" else 1 / r["ratio"]
            adv = f"{a:.2f}x"
        log(f"{r['workload']:<46} {r['unit']:<8} {d:>12} {v:>12} {ratio:>7}  {r['better']:<6} {adv:>9}")
    log("D/Dc = Duplex/Dovecot (median of %d rounds); advantage > 1 means Duplex is better" % RUNS)


def plot(rows, png):
    dat = png[:-4] + ".dat"
    n = 0
    with open(dat, "w") as f:
        for r in rows:
            if r["ratio"]:
                a = r["ratio"] if r["better"] == "higher" else 1 / r["ratio"]
                f.write('"%s" %g\n' % (r["workload"].replace('"', "'"), a))
                n += 1
    if n == 0 or shutil.which("gnuplot") is None:
        return False
    script = f"""set terminal pngcairo size 1400,{300 + 22 * n} font ",10"
set output "{png}"
set title "Duplex advantage over Dovecot (>1: Duplex better; median of {RUNS} rounds)"
set style fill solid 0.6
set logscale x 2
set xrange [0.0625:64]
set yrange [-1:{n}]
set ytics nomirror
set grid x
unset key
set arrow from 1, graph 0 to 1, graph 1 nohead lw 2 lc rgb "red"
plot "{dat}" using 2:0:($2 > 1 ? 1 : $2):($2 > 1 ? $2 : 1):($0-0.35):($0+0.35):ytic(1) \\
     with boxxyerror lc rgb "#3070b0"
"""
    p = subprocess.run(["gnuplot"], input=script.encode(), capture_output=True)
    if p.returncode != 0:
        script = script.replace("pngcairo", "png")
        p = subprocess.run(["gnuplot"], input=script.encode(), capture_output=True)
    if p.returncode != 0:
        log("gnuplot failed: " + p.stderr.decode()[-500:])
    return p.returncode == 0


# --- workloads -----------------------------------------------------------

POOL = []


def lmtp_worker(i, args, st, phase):
    port, nrcpt, seed = args
    if phase == "setup":
        return Lmtp(port)
    lm, deadline = st
    rng = random.Random(seed * 1000 + i)
    n = 0
    while time.monotonic() < deadline:
        lm.deliver(rng.sample(LMTP_USERS, nrcpt), POOL[rng.randrange(len(POOL))])
        n += 1
    lm.close()
    return {"msg": n}


def w_lmtp(res, srv, rnd):
    for conc in (1, 4, 16):
        for nrcpt in (1, 10):
            name = f"LMTP {conc:>2} conn, {nrcpt:>2} rcpt"
            rates, err = run_workers(lmtp_worker, conc, (srv.lmtp, nrcpt, rnd), LMTP_SECONDS)
            res.add(name, "msg/s", "higher", srv.name, rates.get("msg", 0), err)


# a user's rules as webmail filters write them: twenty tests of headers and
# addresses, each filing into its folder and stopping; the generated mail
# matches none, so every rule runs and the message stays in INBOX
SIEVE_RULES = 20
SIEVE_SCRIPT = 'require ["fileinto", "mailbox", "envelope", "imap4flags"];\n' + "".join(
    f'if anyof (header :contains "subject" "bench-topic-{i}", '
    f'address :is :domain "from" "list{i}.example", envelope :is "from" "owner{i}@example.org") '
    f'{{ fileinto :create "Rule {i}"; stop; }}\n' for i in range(SIEVE_RULES - 1)) + \
    'if header :contains "x-priority" "1" { addflag "\\\\Flagged"; }\n'


def w_lmtp_sieve(res, srv, rnd):
    """LMTP with a 20-rule script for every user; the rows without scripts
    are the LMTP rows of the same run (the cost of Sieve)"""
    for u in LMTP_USERS:
        srv.set_sieve(u, SIEVE_SCRIPT)
    try:
        for conc in (1, 16):
            name = f"LMTP {conc:>2} conn,  1 rcpt, Sieve {SIEVE_RULES} rules"
            rates, err = run_workers(lmtp_worker, conc, (srv.lmtp, 1, rnd), LMTP_SECONDS)
            res.add(name, "msg/s", "higher", srv.name, rates.get("msg", 0), err)
    finally:
        for u in LMTP_USERS:
            srv.clear_sieve(u)


def append_worker(i, args, st, phase):
    port, seed = args
    if phase == "setup":
        c = Imap(port)
        c.login(APPEND_USERS[i], PW)
        return c
    c, deadline = st
    rng = random.Random(seed * 1000 + i)
    n = 0
    while time.monotonic() < deadline:
        c.append(b"INBOX", POOL[rng.randrange(len(POOL))])
        n += 1
    c.close()
    return {"msg": n}


def w_append(res, srv, rnd):
    rates, err = run_workers(append_worker, 4, (srv.imap, rnd), APPEND_SECONDS)
    res.add("IMAP APPEND, 4 clients", "msg/s", "higher", srv.name, rates.get("msg", 0), err)


def timed(fn):
    t = time.monotonic()
    fn()
    return (time.monotonic() - t) * 1000


def served_row(res, srv, c, row, cmd):
    """time one command into row; n/a when the server does not serve it. The reply, or None"""
    t = time.monotonic()
    st, r = c.cmd(cmd, ok=False)
    el = (time.monotonic() - t) * 1000
    verb = cmd.split()[0].decode()
    if st != b"OK":
        res.add(row, "ms", "lower", srv.name, 0,
                na=f"{verb} not served: " + r.strip().split(b"\r\n")[-1].decode(errors="replace")[:40])
        return None
    res.add(row, "ms", "lower", srv.name, el)
    return r


def w_big(res, srv, rnd):
    k = f"{BIG // 1000}k"
    c = Imap(srv.imap)
    c.login(BIG_USER, PW)
    out = {}

    def sel():
        _, r = c.cmd(b"SELECT INBOX")
        out["exists"] = c.exists(r)
        _, r = c.cmd(b"FETCH 1:* (UID FLAGS RFC822.SIZE)")
        out["uids"] = [int(u) for u in re.findall(rb"UID (\d+)", r)]
    res.add(f"IMAP {k}: SELECT + FETCH 1:* (UID FLAGS SIZE)", "ms", "lower", srv.name, timed(sel))
    n, uids = out["exists"], out["uids"]
    if len(uids) != n:
        log(f"  warning: {srv.name}: FETCH 1:* returned {len(uids)} UIDs for {n} EXISTS")
    lo = 1 + (rnd * 7919) % (n - 100)
    res.add(f"IMAP {k}: FETCH 50 (ENVELOPE BODYSTRUCTURE)", "ms", "lower", srv.name,
            timed(lambda: c.cmd(b"FETCH %d:%d (ENVELOPE BODYSTRUCTURE)" % (lo, lo + 49))))
    served_row(res, srv, c, f"IMAP {k}: SEARCH HEADER Subject", b'SEARCH HEADER Subject "Invoice 2024-77"')
    # server-side sorting and threading, as webmail asks for a page of the mailbox
    for key in (b"ARRIVAL", b"DATE", b"SUBJECT"):
        r = served_row(res, srv, c, f"IMAP {k}: SORT ({key.decode()})", b"SORT (%s) UTF-8 ALL" % key)
        got = re.search(rb"\* SORT([ 0-9]*)\r\n", r or b"")
        if r is not None and (got is None or len(got.group(1).split()) != n):
            log(f"  warning: {srv.name}: SORT ({key.decode()}) did not list the {n} messages")
    r = served_row(res, srv, c, f"IMAP {k}: THREAD=REFERENCES", b"THREAD REFERENCES UTF-8 ALL")
    if r is not None and b"* THREAD (" not in r:
        log(f"  warning: {srv.name}: THREAD REFERENCES gave no threads")
    # a different 1,000-message stretch each round, from the middle
    a = n // 4 + rnd * 2000
    rng = (uids[a], uids[a + 999])
    res.add(f"IMAP {k}: UID STORE +FLAGS on 1,000", "ms", "lower", srv.name,
            timed(lambda: c.cmd(b"UID STORE %d:%d +FLAGS (\\Flagged)" % rng)))
    rng = (uids[a + 1000], uids[a + 1999])
    c.cmd(b"UID STORE %d:%d +FLAGS.SILENT (\\Deleted)" % rng)
    res.add(f"IMAP {k}: EXPUNGE of 1,000", "ms", "lower", srv.name,
            timed(lambda: c.cmd(b"EXPUNGE")))
    c.close()


def w_pop3(res, srv, rnd):
    p = Pop3(srv.pop3, POP_USER, PW)
    out = {}

    def listing():
        out["n"] = p.stat()
        p.multi(b"UIDL\r\n", 1)
    res.add(f"POP3 STAT + UIDL ({POP_MSGS} msgs)", "ms", "lower", srv.name, timed(listing))
    first = 1 + (rnd * 500) % max(1, out["n"] - 500)
    cmds = b"".join(b"RETR %d\r\n" % i for i in range(first, first + 500))
    t = time.monotonic()
    nbytes = p.multi(cmds, 500)
    el = time.monotonic() - t
    res.add("POP3 RETR of 500", "msg/s", "higher", srv.name, 500 / el)
    res.add("POP3 RETR of 500 (bytes)", "MB/s", "higher", srv.name, nbytes / el / 1e6)
    p.close()


MIXED_OPS = ("login", "select", "fetch", "store", "append", "expunge", "logout")


def mixed_worker(i, args, st, phase):
    port, seed = args
    if phase == "setup":
        return None
    _, deadline = st
    rng = random.Random(seed * 1000 + i)
    cnt = dict.fromkeys(MIXED_OPS, 0)
    lat = dict.fromkeys(MIXED_OPS, 0.0)
    clock = time.monotonic
    while clock() < deadline:
        t = clock()
        c = Imap(port)
        c.login(rng.choice(MIXED_USERS), PW)
        t, lat["login"] = clock(), lat["login"] + clock() - t
        _, r = c.cmd(b"SELECT INBOX")
        n = c.exists(r)
        t, lat["select"] = clock(), lat["select"] + clock() - t
        c.cmd(b"FETCH %d:%d (UID FLAGS RFC822.SIZE ENVELOPE)" % (max(1, n - 9), max(1, n)))
        t, lat["fetch"] = clock(), lat["fetch"] + clock() - t
        c.cmd(b"STORE %d +FLAGS (\\Seen \\Flagged)" % rng.randint(1, max(1, n)))
        t, lat["store"] = clock(), lat["store"] + clock() - t
        c.append(b"INBOX", POOL[rng.randrange(len(POOL))])
        t, lat["append"] = clock(), lat["append"] + clock() - t
        c.cmd(b"STORE 1 +FLAGS.SILENT (\\Deleted)")
        c.cmd(b"EXPUNGE")
        t, lat["expunge"] = clock(), lat["expunge"] + clock() - t
        c.cmd(b"LOGOUT")
        c.s.close()
        lat["logout"] += clock() - t
        for op in MIXED_OPS:
            cnt[op] += 1
    out = dict(cnt)
    out.update({"t_" + k: v for k, v in lat.items()})
    return out


def w_mixed(res, srv, rnd):
    rates, err = run_workers(mixed_worker, 10, (srv.imap, rnd), MIXED_SECONDS)
    res.add("Mixed, 10 clients/100 users: all commands", "ops/s", "higher", srv.name,
            sum(rates.get(op, 0) for op in MIXED_OPS), err)
    for op in MIXED_OPS:
        # each op runs once per session, so its rate is the session rate: report its latency
        n = rates.get(op, 0)
        res.add(f"Mixed: {op} mean latency", "ms", "lower", srv.name,
                rates.get("t_" + op, 0) / n * 1000 if n else 0, err)


def idle_setup(srv, count):
    """count connections IDLE on one mailbox: (epoll, {fd: [sock, state, buf]})"""
    ep = select.epoll()
    conns = {}
    login = (b"a LOGIN %s %s\r\nb SELECT INBOX\r\nc IDLE\r\n" % (IDLE_USER.encode(), PW.encode()))
    idle = pending = opened = 0
    deadline = time.monotonic() + 120 + count / 10
    try:
        while idle < count:
            while opened < count and pending < 200:
                s = clients.connect(srv.imap)
                s.setblocking(False)
                conns[s.fileno()] = [s, 0, b""]
                ep.register(s.fileno(), select.EPOLLIN)
                opened += 1
                pending += 1
            for fd, _ in ep.poll(1.0):
                c = conns[fd]
                try:
                    d = c[0].recv(65536)
                except BlockingIOError:
                    continue
                if not d:
                    raise ServerError("IDLE connection closed during setup: %r" % c[2][-200:])
                c[2] += d
                if c[1] == 0 and b"\r\n" in c[2]:
                    c[0].sendall(login)
                    c[1] = 1
                if c[1] == 1 and (c[2].startswith(b"+ ") or b"\r\n+ " in c[2]):
                    if b"\r\nb OK" not in c[2]:
                        raise ServerError("SELECT failed: %r" % c[2][-300:])
                    c[1], c[2] = 2, b""
                    idle += 1
                    pending -= 1
                elif c[1] == 1 and re.search(rb"\r\n[ab] (NO|BAD)", c[2]):
                    raise ServerError("IDLE setup: %r" % c[2][-300:])
            if time.monotonic() > deadline:
                raise ServerError(f"only {idle} of {count} connections reached IDLE")
    except BaseException:
        idle_teardown(ep, conns)
        raise
    return ep, conns


def idle_teardown(ep, conns):
    for c in conns.values():
        c[0].close()
    ep.close()


def idle_measure(srv, ep, conns, msg):
    """(RSS MB, anonymous PSS MB, ms from the LMTP delivery to the last EXISTS)"""
    for fd, _ in ep.poll(0):           # whatever earlier notices left
        try:
            conns[fd][0].recv(1 << 20)
        except BlockingIOError:
            pass
    for c in conns.values():
        c[1], c[2] = 2, b""
    rss, pss = srv.memory_kb()
    lm = Lmtp(srv.lmtp)
    t0 = time.monotonic()
    lm.deliver([IDLE_USER], msg)
    told, count = 0, len(conns)
    deadline = time.monotonic() + 120
    while told < count and time.monotonic() < deadline:
        for fd, _ in ep.poll(1.0):
            c = conns[fd]
            try:
                d = c[0].recv(65536)
            except BlockingIOError:
                continue
            if not d:
                raise ServerError("an IDLE connection was closed")
            c[2] += d
            if c[1] == 2 and b"EXISTS" in c[2]:
                c[1] = 3
                told += 1
    el = (time.monotonic() - t0) * 1000
    lm.close()
    if told < count:
        return rss / 1024, pss / 1024, f"only {told} of {count} told within 120 s"
    return rss / 1024, pss / 1024, el


def w_idle(res, servers_in_order):
    """IDLE is set up once per server and count (the logins dominate its cost)
    and measured RUNS times on the same connections"""
    for i, count in enumerate(IDLE_COUNTS):
        k = f"{count // 1000}k"
        for srv in servers_in_order[::1 if i % 2 == 0 else -1]:
            t = time.monotonic()
            names = [(f"IDLE {k}: total RSS of server processes", "MB"),
                     (f"IDLE {k}: anon PSS (no mapped files)", "MB"),
                     (f"IDLE {k}: new message announced to all", "ms")]
            try:
                ep, conns = idle_setup(srv, count)
            except (ServerError, OSError) as e:
                for name, unit in names:
                    res.add(name, unit, "lower", srv.name, 0, str(e)[:80])
                continue
            log(f"  {count} IDLE connections on {srv.name} in {time.monotonic() - t:.1f} s")
            try:
                time.sleep(2.0)
                for _ in range(RUNS):
                    for (name, unit), v in zip(names, idle_measure(srv, ep, conns, POOL[0])):
                        if isinstance(v, str):
                            res.add(name, unit, "lower", srv.name, 0, v)
                        else:
                            res.add(name, unit, "lower", srv.name, v)
                    time.sleep(1.0)
            except (ServerError, OSError) as e:
                for name, unit in names:
                    res.add(name, unit, "lower", srv.name, 0, str(e)[:80])
            finally:
                idle_teardown(ep, conns)
            time.sleep(2.0)


WORKLOADS = [("lmtp", w_lmtp), ("lmtp-sieve", w_lmtp_sieve), ("append", w_append), ("imap100k", w_big), ("pop3", w_pop3),
             ("mixed", w_mixed)]


def fs_type(path):
    p = subprocess.run(["df", "--output=fstype", path], capture_output=True, text=True)
    return p.stdout.split()[-1] if p.returncode == 0 else "unknown"


def main():
    t_start = time.monotonic()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 65536
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (want, max(hard, want)))
    except (ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    nofile = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    global IDLE_COUNTS
    if nofile < max(IDLE_COUNTS) + 1000:
        IDLE_COUNTS = tuple(c for c in IDLE_COUNTS if c + 1000 <= nofile)
        log(f"RLIMIT_NOFILE is {nofile}: IDLE counts limited to {IDLE_COUNTS}")

    # every Dovecot IMAP process (running as nobody) takes an inotify instance;
    # past the limit Dovecot falls back to polling every 30 s. Raised for the
    # run, as Dovecot's documentation asks for many IDLE clients; restored after.
    ino = "/proc/sys/fs/inotify/max_user_instances"
    ino_old = None
    try:
        with open(ino) as f:
            ino_old = f.read().strip()
        if int(ino_old) < 2 * max(IDLE_COUNTS):
            with open(ino, "w") as f:
                f.write(str(2 * max(IDLE_COUNTS)))
    except (OSError, ValueError):
        log(f"could not raise {ino}: Dovecot IDLE may fall back to polling")
    try:
        run_all(t_start)
    finally:
        if ino_old is not None:
            try:
                with open(ino, "w") as f:
                    f.write(ino_old)
            except OSError:
                pass


def run_all(t_start):
    base = os.environ.get("BENCH_DIR", "/var/tmp")
    root = tempfile.mkdtemp(prefix="duplex-bench.", dir=base)
    os.chmod(root, 0o755)       # Dovecot's unprivileged processes traverse it
    fst = fs_type(root)
    log(f"bench dir {root} on {fst}" +
        (" (WARNING: tmpfs makes fsync free; set BENCH_DIR to a real disk)" if fst == "tmpfs" else ""))
    log(f"mode {'QUICK' if QUICK else 'full'}; {os.cpu_count()} CPUs; {RUNS} rounds; "
        f"dovecot {subprocess.run(['dovecot', '--version'], capture_output=True, text=True).stdout.strip()}")

    gen = mailgen.Gen(20240506)
    POOL.extend(gen.message() for _ in range(400))
    sizes = sorted(len(m) for m in POOL)
    log(f"LMTP/APPEND message pool: {len(POOL)} messages, median {sizes[len(sizes) // 2] // 1024} KB, "
        f"min {sizes[0] // 1024} KB, max {sizes[-1] // 1024} KB")

    dup = servers.Duplex(root, ALL_USERS, BUILD)
    dov = servers.Dovecot(root, ALL_USERS)
    res = Results()
    try:
        t = time.monotonic()
        dup.start()
        dov.start()
        log(f"servers up in {time.monotonic() - t:.1f} s: duplexd imap {dup.imap} pop3 {dup.pop3} "
            f"lmtp {dup.lmtp}; dovecot imap {dov.imap} pop3 {dov.pop3} lmtp {dov.lmtp}")
        t = time.monotonic()
        fills = [(BIG_USER, BIG, BIG_CAP, "imap100k"), (POP_USER, POP_MSGS, None, "pop3")]
        fills += [(u, MIXED_MSGS, BIG_CAP, "mixed") for u in MIXED_USERS]
        for user, count, cap, wl in fills:
            if ONLY and wl not in ONLY:
                continue
            md = os.path.join(root, "fill-" + user)
            mailgen.write_maildir(md, gen, count, cap=cap)
            dup.fill(user, md)
            dov.fill(user, md)
        log(f"fill (not timed): {time.monotonic() - t:.1f} s")

        for rnd in range(RUNS):
            log(f"round {rnd + 1}/{RUNS}")
            for name, fn in WORKLOADS:
                if ONLY and name not in ONLY:
                    continue
                order = (dup, dov) if rnd % 2 == 0 else (dov, dup)
                t = time.monotonic()
                for srv in order:
                    try:
                        fn(res, srv, rnd)
                    except (ServerError, OSError) as e:
                        log(f"  {name} on {srv.name} failed: {e!r}"[:300])
                log(f"  ({name}: {time.monotonic() - t:.1f} s)")
        if not ONLY or "idle" in ONLY:
            log("IDLE")
            w_idle(res, (dup, dov))
    finally:
        dup.stop()
        dov.stop()

    rows = res.table()
    print_table(rows)
    out_json = os.path.join(HERE, "results.json")
    with open(out_json, "w") as f:
        json.dump([{k: r[k] for k in ("workload", "unit", "duplex", "dovecot", "ratio", "better",
                                       "na")} for r in rows], f, indent=1)
    png = os.path.join(HERE, "results.png")
    log(f"\n{out_json}" + (f", {png}" if plot(rows, png) else " (no plot)"))
    if os.environ.get("BENCH_KEEP"):
        log(f"kept {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    log(f"total {time.monotonic() - t_start:.0f} s")


if __name__ == "__main__":
    main()
