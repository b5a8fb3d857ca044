#!/usr/bin/python3
# imap.py - the cluster scenarios' IMAP side, run in the test namespace
# against the VIP.
#   imap.py poll HOST PORT USER PASS OUT STOP [INTERVAL]
#       poll INBOX until the file STOP exists: each round a fresh login and
#       SELECT; OUT gets "TIME ok UIDVALIDITY UIDNEXT" or "TIME fail WHY".
#       UIDVALIDITY must never change and UIDNEXT never shrink. Prints
#       "polls=N ok=M violations=V".
#   imap.py check HOST PORT USER PASS ACKED STATE
#       fetch every message's Message-ID; every Message-ID in ACKED (first
#       word of each line) must be there exactly once, and no Message-ID
#       twice. STATE keeps UIDVALIDITY and the highest UID across checks:
#       UIDVALIDITY unchanged, UIDs only grow. Prints
#       "acked=N stored=S lost=L dup=D uidvalidity=V maxuid=U" and exits 1
#       on any failure (with what failed on stderr).
import collections, imaplib, os, re, sys, time


def connect(host, port, user, pw, timeout=15):
    m = imaplib.IMAP4(host, int(port), timeout=timeout)
    m.login(user, pw)
    typ, _ = m.select("INBOX", readonly=True)
    if typ != "OK":
        raise imaplib.IMAP4.error("SELECT failed")
    uv = int(m.untagged_responses.get("UIDVALIDITY", [b"0"])[-1])
    un = int(m.untagged_responses.get("UIDNEXT", [b"0"])[-1])
    return m, uv, un


def poll(host, port, user, pw, out, stop, interval=1.0):
    polls = ok = bad = 0
    first_uv = None
    last_un = 0
    with open(out, "a", buffering=1) as f:
        while not os.path.exists(stop):
            polls += 1
            t = time.time()
            try:
                m, uv, un = connect(host, port, user, pw, timeout=5)
                try:
                    m.logout()
                except Exception:  # noqa: BLE001
                    pass
                ok += 1
                if first_uv is None:
                    first_uv = uv
                if uv != first_uv or un < last_un:
                    bad += 1
                    print("imap: violation: uidvalidity %d->%d uidnext %d->%d"
                          % (first_uv, uv, last_un, un), file=sys.stderr)
                last_un = max(last_un, un)
                f.write("%.3f ok %d %d\n" % (t, uv, un))
            except Exception as e:  # noqa: BLE001 - any failure is a failed poll
                f.write("%.3f fail %s\n" % (t, str(e).replace("\n", " ")[:80]))
            time.sleep(max(0.0, interval - (time.time() - t)))
    print("polls=%d ok=%d violations=%d" % (polls, ok, bad))
    return 1 if bad else 0


def check(host, port, user, pw, acked_file, state_file):
    acked = []
    with open(acked_file) as f:
        for line in f:
            if line.strip():
                acked.append(line.split()[0])
    m, uv, un = connect(host, port, user, pw, timeout=120)
    count = collections.Counter()
    maxuid = 0
    typ, data = m.uid("FETCH", "1:*", "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
    for item in data or []:
        if not isinstance(item, tuple):
            continue
        u = re.search(rb"UID (\d+)", item[0])
        if u:
            maxuid = max(maxuid, int(u.group(1)))
        mid = re.search(rb"<([^>]*)>", item[1])
        if mid:
            count[mid.group(1).decode()] += 1
    m.logout()
    lost = [a for a in acked if count[a] == 0]
    dup = [k for k, n in count.items() if n > 1]
    errs = []
    if lost:
        errs.append("lost: %s" % " ".join(lost[:10]))
    if dup:
        errs.append("duplicated: %s" % " ".join(dup[:10]))
    if len(set(acked)) != len(acked):
        errs.append("a Message-ID was acknowledged twice")
    if os.path.exists(state_file):
        with open(state_file) as f:
            puv, pmax = (int(x) for x in f.read().split())
        if puv != uv:
            errs.append("UIDVALIDITY changed %d -> %d" % (puv, uv))
        if maxuid < pmax:
            errs.append("highest UID went back %d -> %d" % (pmax, maxuid))
    with open(state_file, "w") as f:
        f.write("%d %d\n" % (uv, maxuid))
    print("acked=%d stored=%d lost=%d dup=%d uidvalidity=%d maxuid=%d"
          % (len(acked), sum(count.values()), len(lost), len(dup), uv, maxuid))
    for e in errs:
        print("imap: check: " + e, file=sys.stderr)
    return 1 if errs else 0


if __name__ == "__main__":
    a = sys.argv
    if a[1] == "poll":
        sys.exit(poll(a[2], a[3], a[4], a[5], a[6], a[7], float(a[8]) if len(a) > 8 else 1.0))
    sys.exit(check(a[2], a[3], a[4], a[5], a[6], a[7]))
