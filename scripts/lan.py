"""`make run HOST=0.0.0.0`: serving a class on the LAN (no Django here; run.py turns this into environment).

One switch does four things: bind to all interfaces, allow the machine's own names and addresses as Host headers,
turn DEBUG off (WhiteNoise still serves the static files), and refuse to start while the demo key pair test/test
or a weak admin password would be exposed, unless the instructor allows the demo keys (ALLOW_DEMO_KEYS=1).
"""

from __future__ import annotations

import contextlib
import fcntl
import socket
import struct
from dataclasses import dataclass

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
DEMO_ACCESS_KEY_ID = DEMO_SECRET_ACCESS_KEY = "test"
MIN_ADMIN_PASSWORD = 12  # the generated one is 16 characters (token_urlsafe(12))
_SIOCGIFADDR = 0x8915


def is_lan(host: str) -> bool:
    return host not in LOOPBACK_HOSTS


def _interface_ipv4s() -> list[str]:
    """Every interface's IPv4 address (Linux ioctl; no extra package)."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        for _, name in socket.if_nameindex():
            try:
                packed = fcntl.ioctl(sock.fileno(), _SIOCGIFADDR, struct.pack("256s", name[:15].encode()))
            except OSError:
                continue  # no IPv4 address on this interface
            found.append(socket.inet_ntoa(packed[20:24]))
    return found


def _primary_ipv4() -> str | None:
    """The address other machines reach us at: the source of the default route (connect() sends nothing)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere, only consulted
            return sock.getsockname()[0]
        except OSError:
            return None


def machine_addresses() -> list[str]:
    """Names and addresses of this machine, loopback included, most useful first."""
    names: list[str] = []
    primary = _primary_ipv4()
    if primary:
        names.append(primary)
    names += _interface_ipv4s()
    hostname = socket.gethostname()
    names += [hostname, socket.getfqdn()]
    with contextlib.suppress(OSError):
        names += [info[4][0] for info in socket.getaddrinfo(hostname, None)]
    names += ["127.0.0.1", "localhost", "[::1]"]
    seen: list[str] = []
    for name in names:
        name = f"[{name}]" if ":" in name and not name.startswith("[") else name
        if name and name not in seen:
            seen.append(name)
    return seen


def student_url(port: str | int) -> str:
    """The URL to give students: the primary address, else the first non-loopback one."""
    candidates = [a for a in machine_addresses() if a not in LOOPBACK_HOSTS and not a.startswith("127.")]
    return f"http://{(candidates or ['127.0.0.1'])[0]}:{port}/"


@dataclass
class LanSettings:
    env: dict[str, str]  # what the processes get: DEBUG, ALLOWED_HOSTS, LAMBDAVIZ_PUBLIC_URL
    url: str


def refusals(env: dict[str, str], *, admin_password: str) -> list[str]:
    """Why the server must not be exposed as configured (empty: it may start)."""
    reasons = []
    key_id = env.get("LAMBDAVIZ_ACCESS_KEY_ID", DEMO_ACCESS_KEY_ID)
    secret = env.get("LAMBDAVIZ_SECRET_ACCESS_KEY", DEMO_SECRET_ACCESS_KEY)
    allow_demo = env.get("ALLOW_DEMO_KEYS", "").strip().lower() in {"1", "true", "yes", "on"}
    if (key_id, secret) == (DEMO_ACCESS_KEY_ID, DEMO_SECRET_ACCESS_KEY) and not allow_demo:
        reasons.append(
            "The Lambda API would accept the demo key pair test/test from anyone on the network. Set "
            "LAMBDAVIZ_ACCESS_KEY_ID and LAMBDAVIZ_SECRET_ACCESS_KEY (and give them to your students), or allow "
            "the demo keys explicitly with ALLOW_DEMO_KEYS=1."
        )
    if len(admin_password) < MIN_ADMIN_PASSWORD:
        reasons.append(
            f"The staff user admin would have a {len(admin_password)}-character password "
            f"(LAMBDAVIZ_ADMIN_PASSWORD). Unset it to use the generated one in var/admin_password, or choose one of "
            f"at least {MIN_ADMIN_PASSWORD} characters."
        )
    return reasons


def lan_settings(port: str | int, env: dict[str, str]) -> LanSettings:
    """DEBUG off and the machine's own names allowed (an ALLOWED_HOSTS already set is kept, plus those)."""
    hosts = machine_addresses()
    extra = [h.strip() for h in env.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    url = env.get("LAMBDAVIZ_PUBLIC_URL") or student_url(port)
    return LanSettings(
        env={"DEBUG": "0", "ALLOWED_HOSTS": ",".join(dict.fromkeys(extra + hosts)), "LAMBDAVIZ_PUBLIC_URL": url},
        url=url,
    )
