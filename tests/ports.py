"""A free TCP port on 127.0.0.1 for a server a test starts (nginx, `dateline serve`, SMTP).

The kernel picks one not in use; the socket is closed before the server binds it, so
another process could take it in between. Test processes run side by side (pytest-xdist,
and the SQLite and PostgreSQL passes at once), so each process never hands out the same
port twice and takes ports from the kernel's own random choice, which rarely repeats a
port just freed.
"""

import socket

_handed_out: set[int] = set()


def free_port() -> int:
    while True:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port not in _handed_out:
            _handed_out.add(port)
            return port
