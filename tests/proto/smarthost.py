"""smarthost - a real SMTP server (aiosmtpd, Debian's python3-aiosmtpd) standing in
for the relay MTA that duplexd's outbound queue sends to. Not a test: it is
not executable, so tests/run-scripts skips it.

Run with the system python (/usr/bin/python3), where Debian installs aiosmtpd:
    smarthost.py PORT OUTDIR CERT KEY
It listens on 127.0.0.1:PORT, offers STARTTLS with CERT/KEY, refuses every
recipient whose local part is "reject" with 550 5.1.1, and writes each accepted
message to OUTDIR/N.json (envelope sender, recipients, data, whether TLS was
on) once the whole message is in. It prints "ready" when it listens.
"""
import asyncio
import json
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller


class Handler:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0] == "reject":
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.n += 1
        rec = {"from": envelope.mail_from, "rcpts": envelope.rcpt_tos,
               "data": envelope.original_content.decode("utf-8", "replace"),
               "tls": session.ssl is not None}
        tmp = os.path.join(self.outdir, "%d.tmp" % self.n)
        with open(tmp, "w") as f:
            json.dump(rec, f)
        os.rename(tmp, os.path.join(self.outdir, "%d.json" % self.n))
        return "250 2.0.0 Ok: queued as smarthost-%d" % self.n


def main():
    port, outdir, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    c = Controller(Handler(outdir), hostname="127.0.0.1", port=port, tls_context=ctx,
                   require_starttls=False, server_hostname="smarthost.test")
    c.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        c.stop()


if __name__ == "__main__":
    main()
