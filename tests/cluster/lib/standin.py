#!/usr/bin/python3
# standin.py - stand-in for duplexd while the real store and its OCF agent
# are not ready: run by ocf:heartbeat:anything in the Pacemaker group, on
# the DRBD-backed filesystem. It greets on the IMAP (143) and POP3 (110)
# ports with the node name, and speaks just enough LMTP (24) to accept a
# message, which it writes to DATADIR/msgs/ and fsyncs before answering 250,
# so a load generator can count acknowledged messages across failovers.
import os, socket, socketserver, sys, threading

DATA = sys.argv[1] if len(sys.argv) > 1 else "/srv/duplex"
NODE = socket.gethostname()
os.makedirs(DATA + "/msgs", exist_ok=True)
lock = threading.Lock()


class Greeter(socketserver.StreamRequestHandler):
    banner = b""

    def handle(self):
        self.wfile.write(self.banner + b" duplex stand-in on " + NODE.encode() + b"\r\n")


class Imap(Greeter):
    banner = b"* OK"


class Pop3(Greeter):
    banner = b"+OK"


class Lmtp(socketserver.StreamRequestHandler):
    def say(self, s):
        self.wfile.write(s.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.say("220 %s LMTP duplex stand-in" % NODE)
        rcpts = 0
        while True:
            line = self.rfile.readline()
            if not line:
                return
            verb = line.split(b" ", 1)[0].strip().upper()
            if verb == b"LHLO":
                self.say("250-%s\r\n250 PIPELINING" % NODE)
            elif verb == b"MAIL":
                rcpts = 0
                self.say("250 2.1.0 ok")
            elif verb == b"RCPT":
                rcpts += 1
                self.say("250 2.1.5 ok")
            elif verb == b"DATA":
                self.say("354 go ahead")
                body = []
                while True:
                    ln = self.rfile.readline()
                    if not ln or ln in (b".\r\n", b".\n"):
                        break
                    body.append(ln)
                if not ln:
                    return
                mid = "none"
                for ln in body:
                    if ln.lower().startswith(b"message-id:"):
                        mid = ln.split(b":", 1)[1].strip().decode(errors="replace")
                        break
                name = "%s/msgs/%s" % (DATA, mid.strip("<>").replace("/", "_"))
                with lock:
                    with open(name + ".tmp", "wb") as f:
                        f.write(b"".join(body))
                        f.flush()
                        os.fsync(f.fileno())
                    os.rename(name + ".tmp", name)
                    dfd = os.open(DATA + "/msgs", os.O_RDONLY)
                    os.fsync(dfd)
                    os.close(dfd)
                for _ in range(max(rcpts, 1)):
                    self.say("250 2.0.0 %s stored on %s" % (mid, NODE))
            elif verb == b"RSET" or verb == b"NOOP":
                self.say("250 2.0.0 ok")
            elif verb == b"QUIT":
                self.say("221 2.0.0 bye")
                return
            else:
                self.say("500 5.5.1 unknown command")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


servers = [Server(("0.0.0.0", p), h) for p, h in ((143, Imap), (110, Pop3), (24, Lmtp))]
for s in servers[1:]:
    threading.Thread(target=s.serve_forever, daemon=True).start()
print("standin: serving on %s" % NODE, flush=True)
servers[0].serve_forever()
