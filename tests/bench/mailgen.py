"""mailgen.py - seeded test messages for `make bench`: sizes from a
realistic spread (log-normal, median about 20 KB, clipped to 2 KB..2 MB),
a mix of plain text and multipart with a base64 attachment, CRLF line ends,
no line starting with a dot (so LMTP needs no dot-stuffing), and Maildirs
of such messages for filling the big mailboxes quickly.
"""
import base64
import math
import os
import random

MIN_SIZE, MEDIAN, MAX_SIZE = 2 * 1024, 20 * 1024, 2 * 1024 * 1024
WORDS = ("the of and to in is that for it as with was on be by at this are from or have an "
         "not which but all were when we there can more if will one about so out up time "
         "report quarterly meeting invoice project budget schedule review draft update").split()
SUBJECTS = ["Re: quarterly report", "Invoice 2024-%d", "Meeting notes", "Fwd: project plan",
            "Budget review", "Schedule change", "Lunch?", "Draft for review", "Status update"]


def size_sample(rng):
    s = int(math.exp(rng.gauss(math.log(MEDIAN), 1.1)))
    return max(MIN_SIZE, min(MAX_SIZE, s))


class Gen:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        r = random.Random(seed ^ 0x5eed)
        lines, n = [], 0
        while n < MAX_SIZE + 65536:
            line = " ".join(r.choice(WORDS) for _ in range(r.randint(6, 12))) + "\r\n"
            lines.append(line)
            n += len(line)
        self.text = "".join(lines).encode()
        self.b64 = base64.encodebytes(r.randbytes(MAX_SIZE)).replace(b"\n", b"\r\n")
        self.seq = 0
        self.ids = []           # Message-IDs so far, for replies
        self.reply_rng = random.Random(seed ^ 0x7e1d)   # apart, so the other draws stay the same

    def message(self, size=None, to="user@bench.test"):
        """one message of about size bytes (drawn from the spread if None)"""
        rng = self.rng
        size = size or size_sample(rng)
        self.seq += 1
        n = self.seq
        frm = f"sender{rng.randint(1, 500)}@example{rng.randint(1, 20)}.org"
        subj = rng.choice(SUBJECTS).replace("%d", str(n))
        hdr = (f"Return-Path: <{frm}>\r\n"
               f"Received: from relay.bench.test by store; Mon, 6 May 2024 10:{n % 60:02d}:00 +0000\r\n"
               f"From: Sender {n % 500} <{frm}>\r\nTo: <{to}>\r\n"
               f"Cc: team{n % 7}@bench.test\r\nSubject: {subj}\r\n"
               f"Date: Mon, 6 May 2024 10:{n % 60:02d}:{n % 60:02d} +0000\r\n"
               f"Message-ID: <{n}.{rng.getrandbits(40):x}@example.org>\r\nMIME-Version: 1.0\r\n")
        self.ids.append(hdr[hdr.rindex("Message-ID: ") + 12:hdr.rindex("\r\nMIME")])
        hdr += self._reply(n)
        room = max(256, size - len(hdr) - 200)
        if size > 30 * 1024 and rng.random() < 0.6:
            b = "=_b%x" % rng.getrandbits(32)
            text_len = min(room // 4, 8192)
            off = rng.randrange(0, 65536)
            text = self._cut(self.text, off, text_len)
            att = self._cut(self.b64, rng.randrange(0, 4096) * 78, room - text_len)
            body = (f"Content-Type: multipart/mixed; boundary=\"{b}\"\r\n\r\n"
                    f"--{b}\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n").encode() + text + \
                (f"--{b}\r\nContent-Type: application/pdf; name=\"doc{n}.pdf\"\r\n"
                 f"Content-Transfer-Encoding: base64\r\n"
                 f"Content-Disposition: attachment; filename=\"doc{n}.pdf\"\r\n\r\n").encode() + att + \
                f"--{b}--\r\n".encode()
        else:
            off = rng.randrange(0, 65536)
            body = b"Content-Type: text/plain; charset=us-ascii\r\n\r\n" + \
                self._cut(self.text, off, room)
        return hdr.encode() + body

    def _reply(self, n):
        """a third of the messages answer one of the 200 before them (THREAD=REFERENCES)"""
        r = self.reply_rng
        if n < 2 or r.random() >= 1 / 3:
            return ""
        parent = self.ids[r.randrange(max(0, n - 201), n - 1)]
        return f"In-Reply-To: {parent}\r\nReferences: {parent}\r\n"

    @staticmethod
    def _cut(buf, off, n):
        """n bytes of whole CRLF lines from buf at off"""
        off = buf.index(b"\r\n", off) + 2
        end = buf.index(b"\r\n", min(off + n, len(buf) - 2)) + 2
        return buf[off:end]


def write_maildir(path, gen, count, cap=None, seen=0.9):
    """a Maildir with count messages in cur/, most of them \\Seen"""
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, sub), exist_ok=True)
    rng = random.Random(count)
    cur = os.path.join(path, "cur")
    t0 = 1714989600
    total = 0
    for i in range(count):
        size = size_sample(gen.rng)
        if cap:
            size = min(size, cap)
        m = gen.message(size)
        total += len(m)
        flags = "S" if rng.random() < seen else ""
        name = f"{t0 + i}.M{i}P1.bench,S={len(m)}:2,{flags}"
        with open(os.path.join(cur, name), "wb") as f:
            f.write(m)
    return total
