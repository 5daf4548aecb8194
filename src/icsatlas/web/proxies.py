"""Who a request came from when the server sits behind a reverse proxy.

Behind a proxy (nginx, a load balancer) every connection comes from the proxy's address, so
every visitor would share one rate-limit allowance, and a TLS-terminating proxy's visitors
would look as if they used plain http (so the sign-in cookie would not be marked
``Secure``). ``icsatlas serve --forwarded-allow-ips`` (``ICSATLAS_FORWARDED_ALLOW_IPS``)
names the proxies to believe: addresses and networks, comma-separated, or ``*``. For a
connection from one of them, the client is the right-most address in ``X-Forwarded-For``
that is not itself a trusted proxy (with ``*``, the right-most: the one the nearest proxy
appended), and the scheme is the last ``X-Forwarded-Proto`` when it is ``http`` or
``https``. From anyone else both headers are ignored, so a visitor cannot choose their own
address and escape a limit. An IPv4 address seen on an IPv6 socket (``::ffff:10.0.0.1``)
is the IPv4 address, and a forwarded address may carry a port (``203.0.113.9:4431``,
``[2001:db8::1]:443``), which is not part of the client's name.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any

from icsatlas import config
from icsatlas.errors import IcsatlasError

ENV = config.FORWARDED_ENV
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class Proxies:
    """The proxies whose forwarding headers are believed (``everyone``: any peer)."""

    networks: tuple[Network, ...] = ()
    everyone: bool = False

    def trusted(self, host: str | None) -> bool:
        if self.everyone:
            return True
        address = _address(host or "")
        return address is not None and any(address in network for network in self.networks)

    def client(self, forwarded_for: list[str]) -> str | None:
        """The first address, from the right, that is not one of the proxies (the left-most
        if all are; the right-most if any peer is believed); None if it is not an address."""
        hosts = [_address(host) for host in forwarded_for]
        untrusted = [h for h in reversed(hosts) if h is None or not self.trusted(str(h))]
        chosen = hosts[-1] if self.everyone else (untrusted or hosts)[0]
        return str(chosen) if chosen is not None else None


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
    changed = dict(scope)
    hosts = _header_list(scope, b"x-forwarded-for")
    client = proxies.client(hosts) if hosts else None
    if client is not None:  # what a proxy forwards is an address; anything else is not
        changed["client"] = (client, 0)
    proto = _header_list(scope, b"x-forwarded-proto")
    if proto and proto[-1].lower() in ("http", "https"):
        changed["scheme"] = proto[-1].lower()
    return changed


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` names (without a port; an IPv4-mapped IPv6 address as IPv4)."""
    text = text.strip()
    if text.startswith("["):  # [v6] or [v6]:port
        text = text[1 : text.find("]")] if "]" in text else text
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _header_list(scope: MutableMapping[str, Any], name: bytes) -> list[str]:
    """Every comma-separated value of header ``name``, in order, across its repeats."""
    values = [v.decode("latin-1") for k, v in scope.get("headers", ()) if k.lower() == name]
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
