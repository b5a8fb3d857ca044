"""ports - free loopback TCP ports for the script tests (not a test itself).

free_ports(n) binds n sockets to port 0 and holds them all until each has
its port, so one call never names a port twice; ports named by an earlier
call in this process are passed over, so a daemon started later does not
get a port already promised to another listener.
"""
import socket

_given = set()


def free_ports(n, host="127.0.0.1"):
    """n distinct free ports on host, none returned before by this process"""
    held, ports = [], []
    try:
        while len(ports) < n:
            s = socket.socket()
            held.append(s)
            s.bind((host, 0))
            port = s.getsockname()[1]
            if port not in _given:
                ports.append(port)
                _given.add(port)
    finally:
        for s in held:
            s.close()
    return ports


def free_port(host="127.0.0.1"):
    return free_ports(1, host)[0]
