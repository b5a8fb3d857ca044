#!/usr/bin/python3
"""fake_mailserver.py - a scripted IMAP or LMTP peer for the OCF agent tests.

usage: fake_mailserver.py MODE PORT_FILE

Listens on 127.0.0.1 on a free port, writes the port to PORT_FILE, then
serves one conversation style per connection until killed:
  imap       greeting, CAPABILITY with IMAP4rev1, tagged OK, LOGOUT
  imap-bye   "* BYE" greeting (a server refusing service)
  imap-nocap CAPABILITY without IMAP4rev1/IMAP4rev2
  lmtp       multi-line 220 greeting, multi-line 250 LHLO reply
  lmtp-421   "421" greeting (service not available)
  silent     accepts and says nothing (a wedged server)
It stands in for duplexd's listeners so that the agent's depth-10 code is
tested before, and independently of, the protocol servers.
"""
import socket
import sys
import threading
import time


def serve(conn, mode):
    f = conn.makefile("rwb", buffering=0)

    def say(s):
        f.write(s.encode() + b"\r\n")

    try:
        if mode == "silent":
            time.sleep(60)
        elif mode == "imap-bye":
            say("* BYE not today")
        elif mode.startswith("imap"):
            say("* OK [CAPABILITY IMAP4rev1] fake ready")
            for line in f:
                tag, cmd = line.decode().strip().split(" ", 1)
                if cmd.upper() == "CAPABILITY":
                    say("* CAPABILITY " + ("IDLE" if mode == "imap-nocap" else "IMAP4rev1 IMAP4rev2 IDLE"))
                    say(tag + " OK CAPABILITY completed")
                elif cmd.upper() == "LOGOUT":
                    say("* BYE logging out")
                    say(tag + " OK LOGOUT completed")
                    break
                else:
                    say(tag + " BAD unknown")
        elif mode == "lmtp-421":
            say("421 4.3.2 not now")
        elif mode == "lmtp":
            say("220-fake.example")
            say("220 fake LMTP ready")
            for line in f:
                cmd = line.decode().strip().upper()
                if cmd.startswith("LHLO "):
                    say("250-fake.example")
                    say("250-PIPELINING")
                    say("250 ENHANCEDSTATUSCODES")
                elif cmd == "QUIT":
                    say("221 2.0.0 bye")
                    break
                else:
                    say("500 5.5.1 unknown")
    except (OSError, ValueError):
        pass
    finally:
        conn.close()


def main():
    mode, port_file = sys.argv[1], sys.argv[2]
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    with open(port_file + ".tmp", "w") as fp:
        fp.write("%d\n" % s.getsockname()[1])
    import os
    os.rename(port_file + ".tmp", port_file)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=serve, args=(conn, mode), daemon=True).start()


if __name__ == "__main__":
    main()
