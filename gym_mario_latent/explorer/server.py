"""Serving the explorer: bind the socket (so a port in use is one clear error), print the URL, run uvicorn."""

from __future__ import annotations

import ipaddress
import socket
import sys
import webbrowser

import uvicorn

from gym_mario_latent.errors import ExplorerError
from gym_mario_latent.explorer.app import create_app
from gym_mario_latent.explorer.service import Explorer


def is_loopback(host: str) -> bool:
    """True when `host` is reachable from this machine only (localhost, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on (host, port); port 0 picks a free one.

    Raises:
        ExplorerError: the address cannot be bound (in use, not this machine's, no permission).
    """
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as error:
        raise ExplorerError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def serve(explorer: Explorer, host: str, port: int, open_browser: bool = False) -> None:
    """Serves `explorer` until interrupted (Ctrl+C), then stops its JVMs."""
    sock = bind(host, port)
    url = url_of(sock)
    if not is_loopback(host):
        print(
            f"gym-mario-latent explore: warning: {host} is reachable from other machines and the explorer "
            "has no login; prefer the default 127.0.0.1 and an SSH tunnel",
            file=sys.stderr,
        )
    print(f"gym-mario-latent explore: serving {url} (Ctrl+C stops)", flush=True)
    if open_browser:
        webbrowser.open(url)
    config = uvicorn.Config(create_app(explorer), log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        explorer.close()
        sock.close()
