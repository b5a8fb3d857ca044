#!/usr/bin/python3
# agent.py - control agent inside a test VM, on the virtio-serial port
# named duplex.ctl. The host sends one JSON request per line
# ({"id", "cmd", "timeout"}); each runs in its own thread under bash -c,
# with output captured to temporary files (so daemons started by a command
# cannot hold the reply back), and the reply is one JSON line with the exit
# code and base64 output. The port stays open for the agent's whole life:
# closing and reopening it loses data.
import base64, glob, json, os, select, subprocess, tempfile, threading, time

# /usr/sbin holds the project's binaries as built at "vm up" (guest-init)
PATH = "/usr/sbin:/usr/bin:/sbin:/bin"


def find_port():
    while True:
        for n in glob.glob("/sys/class/virtio-ports/*/name"):
            with open(n) as f:
                if f.read().strip() == "duplex.ctl":
                    return "/dev/" + n.split("/")[-2]
        time.sleep(0.5)


fd = os.open(find_port(), os.O_RDWR)
wlock = threading.Lock()


def reply(obj):
    data = (json.dumps(obj) + "\n").encode()
    with wlock:
        while data:
            n = os.write(fd, data)
            data = data[n:]


def run(req):
    rid = req.get("id")
    env = dict(os.environ, PATH=PATH, HOME="/root", LANG="C.UTF-8")
    env.update(req.get("env", {}))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        try:
            p = subprocess.Popen(["/bin/bash", "-c", req["cmd"]], stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err, env=env, cwd="/root",
                                 start_new_session=True)
            try:
                rc = p.wait(timeout=req.get("timeout") or None)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, 9)
                p.wait()
                rc = 124
        except Exception as e:  # noqa: BLE001 - report anything to the host
            err.write(("agent: %s\n" % e).encode())
            rc = 127
        out.seek(0)
        err.seek(0)
        reply({"id": rid, "rc": rc, "out": base64.b64encode(out.read()).decode(),
               "err": base64.b64encode(err.read()).decode()})


buf = b""
poller = select.poll()
poller.register(fd, select.POLLIN)
while True:
    poller.poll(1000)
    try:
        chunk = os.read(fd, 65536)
    except BlockingIOError:
        chunk = None
    if not chunk:
        time.sleep(0.2)  # host side not connected: reads return EOF
        continue
    buf += chunk
    while b"\n" in buf:
        line, buf = buf.split(b"\n", 1)
        try:
            req = json.loads(line)
        except ValueError:
            continue
        threading.Thread(target=run, args=(req,), daemon=True).start()
