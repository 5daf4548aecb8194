"""Who a request came from when the server sits behind a reverse proxy.

Behind a proxy (nginx, a load balancer) every connection comes from the proxy's address, so
every visitor would share one rate-limit allowance, and a TLS-terminating proxy's visitors
would look as if they used plain http (so the sign-in cookie would not be marked
``Secure``). ``icsatlas serve --forwarded-allow-ips`` (``ICSATLAS_FORWARDED_ALLOW_IPS``)
names the proxies to believe: addresses and networks, comma-separated, or ``*``. For a
connection from one of them, the client is the right-most address in ``X-Forwarded-For``
that is not itself a trusted proxy (the left-most if all are), and the scheme is
``X-Forwarded-Proto`` when it is ``http`` or ``https``. From anyone else both headers are
ignored, so a visitor cannot choose their own address and escape a limit.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from icsatlas.errors import IcsatlasError

ENV = "ICSATLAS_FORWARDED_ALLOW_IPS"
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Proxies:
    """The proxies whose forwarding headers are believed (``everyone``: any peer)."""

    networks: tuple[Network, ...] = ()
    everyone: bool = False

    def trusted(self, host: str | None) -> bool:
        if self.everyone:
            return True
        try:
            address = ipaddress.ip_address(host or "")
        except ValueError:
            return False
        return any(address in network for network in self.networks)

    def client(self, forwarded_for: list[str]) -> str:
        """The first address, from the right, that is not one of the proxies."""
        untrusted = [host for host in reversed(forwarded_for) if not self.trusted(host)]
        return untrusted[0] if untrusted and not self.everyone else forwarded_for[0]


def parse(text: str | None) -> Proxies | None:
    """``"10.0.0.1, 10.1.0.0/16"`` or ``"*"``; None when not set (no proxy is believed)."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    if not parts:
        return None
    if parts == ["*"]:
        return Proxies(everyone=True)
    networks = []
    for part in parts:
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise IcsatlasError(
                f"{ENV} / --forwarded-allow-ips: {part!r} is not an IP address or network; "
                "give the proxies' addresses, e.g. 127.0.0.1,10.0.0.0/8 (or * for any)"
            ) from None
    return Proxies(tuple(networks))


def configured() -> Proxies | None:
    """The proxies named by ``ICSATLAS_FORWARDED_ALLOW_IPS`` (set by ``icsatlas serve``)."""
    return parse(os.environ.get(ENV))


def forwarded(scope: MutableMapping[str, Any], proxies: Proxies) -> MutableMapping[str, Any]:
    """``scope`` with the client and scheme the proxy forwarded, if its peer is a proxy."""
    peer = scope.get("client")
    if not proxies.trusted(peer[0] if peer else None):
        return scope
    hosts = _header_list(scope, b"x-forwarded-for")
    if not hosts:
        return scope
    client = proxies.client(hosts)
    if not _is_address(client):  # what a proxy forwards is an address; anything else is not
        return scope
    changed = {**scope, "client": (client, 0)}
    proto = _header_list(scope, b"x-forwarded-proto")
    if proto and proto[0].lower() in ("http", "https"):
        changed["scheme"] = proto[0].lower()
    return changed


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _header_list(scope: MutableMapping[str, Any], name: bytes) -> list[str]:
    """Every comma-separated value of header ``name``, in order, across its repeats."""
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == name]
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
