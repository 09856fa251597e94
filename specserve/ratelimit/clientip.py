"""The client address a request comes from, believing `X-Forwarded-For` only from trusted
proxies (`SPECSERVE_TRUSTED_PROXIES`)."""

from __future__ import annotations

import ipaddress


def trusted_networks(text: str) -> list:
    return [ipaddress.ip_network(p.strip(), strict=False) for p in text.split(",") if p.strip()]


def client_ip(peer: str | None, forwarded_for: bytes | None, trusted: list) -> str:
    """The peer address, or the nearest untrusted hop of X-Forwarded-For if the peer is a
    trusted proxy. Forged entries to the left of an untrusted hop are never believed."""
    peer = peer or "unknown"
    if not trusted or not forwarded_for or not _in(peer, trusted):
        return peer
    hops = [h.strip() for h in forwarded_for.decode("latin-1").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _valid_ip(hop):
            return peer
        if not _in(hop, trusted):
            return hop
    return peer


def _valid_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _in(addr: str, networks: list) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in net for net in networks)
