"""Where a webhook may be sent: never to the host's own services or a private network (SSRF).

A subscriber url names a host; a POST to it from our worker could reach the API itself, the
Temporal UI, a database or a cloud metadata service. So an address is refused when it is loopback,
private, link-local, multicast, unspecified, reserved or otherwise not global, unless a network of
`SMARTSOLAR_WEBHOOK_ALLOWED_NETWORKS` contains it (tests and demos receive on 127.0.0.1). The check
runs when subscribing and again before each POST, after DNS resolution; the POST then connects to
the very address that passed, so a name that resolves differently a second later (DNS rebinding)
gains nothing.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from functools import lru_cache

from core.settings import get_settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class RefusedAddress(Exception):
    """The url's host is, or resolves to, an address webhooks may not reach."""


class Unresolvable(RefusedAddress):
    """The host has no address now (it may have one by the time a POST goes out, checked again then)."""


@dataclass(frozen=True)
class AddressPolicy:
    """`allowed`: networks that may be reached although they are not global (loopback in tests)."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, text: str) -> AddressPolicy:
        """A comma-separated list of addresses or CIDR networks, e.g. `127.0.0.1,10.8.0.0/16`."""
        networks = tuple(
            ipaddress.ip_network(item.strip(), strict=False) for item in text.split(",") if item.strip()
        )
        return cls(allowed=networks)

    def refusal(self, address: IPAddress) -> str | None:
        """Why `address` may not be reached, or None when it may."""
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        if any(address in network for network in self.allowed):
            return None
        for kind, flag in (
            ("unspecified", address.is_unspecified),
            ("loopback", address.is_loopback),
            ("link-local", address.is_link_local),
            ("multicast", address.is_multicast),
            ("private", address.is_private),
            ("reserved", address.is_reserved),
        ):
            if flag:
                return f"{address} is a {kind} address"
        if not address.is_global:
            return f"{address} is not a public address"
        return None

    def check_literal(self, host: str) -> None:
        """Refuse a host written as a forbidden IP address (no DNS needed)."""
        address = _literal(host)
        if address is not None and (reason := self.refusal(address)) is not None:
            raise RefusedAddress(reason)

    def resolve(self, host: str, port: int) -> IPAddress:
        """The first address of `host` that may be reached; refused when any of them may not (a name
        that also points inside would be a way in when the resolver picks that one)."""
        literal = _literal(host)
        if literal is not None:
            addresses = [literal]
        else:
            try:
                infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            except (OSError, UnicodeError) as exc:
                raise Unresolvable(f"{host} does not resolve ({exc})") from None
            addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))
        for address in addresses:
            if (reason := self.refusal(address)) is not None:
                raise RefusedAddress(f"{host}: {reason}" if literal is None else reason)
        if not addresses:
            raise Unresolvable(f"{host} does not resolve")
        return addresses[0]


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@lru_cache
def _policy_for(text: str) -> AddressPolicy:
    return AddressPolicy.parse(text)


def webhook_policy() -> AddressPolicy:
    """The policy from the settings (parsed once per distinct value)."""
    return _policy_for(get_settings().webhook_allowed_networks)
