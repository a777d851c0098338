"""Outgoing webhooks only to public addresses (unless ``WEBHOOK_ALLOW_PRIVATE_ADDRESSES``): an
admin-typed URL must not make the server POST to itself, its network or a cloud metadata service.

Checked twice: when an endpoint is saved (a clear error on the URL), and when each request
connects, after DNS resolution: the connection goes to the very address that was checked, so a
name that resolves elsewhere later (DNS rebinding) reaches nothing private. Environment proxies
are not used for these requests, as the address checked must be the address contacted.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit


class PrivateAddressError(OSError):
    """The destination is (or resolves to) an address that is not public."""


#: NAT64's well-known prefix (RFC 6052): a NAT64 gateway (IPv6-only networks, cloud NAT gateways)
#: forwards ``64:ff9b::a00:5`` to 10.0.0.5, so such an address is judged by its last 32 bits.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
#: NAT64's local-use prefix (RFC 8215): where its IPv4 address sits depends on the network's setup.
NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet: not loopback, private (10/8, 172.16/12,
    192.168/16, fc00::/7), link-local (169.254/16 with cloud metadata, fe80::/10), unspecified,
    shared, reserved or multicast; an IPv4-mapped or NAT64 IPv6 address is judged by its IPv4
    address, and a local-use NAT64 one is never public."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL:
            return False
        if ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to; ``PrivateAddressError`` when any one is not public."""
    addresses = [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    private = next((a for a in addresses if not is_public(a)), None)
    if private is not None:
        shown = host if host == private else f"{host} ({private})"
        raise PrivateAddressError(
            f"{shown} is a private or local address; webhooks go only to public addresses "
            "(WEBHOOK_ALLOW_PRIVATE_ADDRESSES is off)"
        )
    return addresses


def check_url(url: str) -> None:
    """At save time: refuse a URL whose host is, or now resolves to, a private address. A name
    that does not resolve yet is accepted; each request checks again when it connects."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (socket.gaierror, ValueError, UnicodeError):  # an unknown name or a bad port: sending will say
        return


class PublicHTTPConnection(http.client.HTTPConnection):
    """Connects only after every address of the host proved public, to one of those addresses."""

    def connect(self) -> None:
        error: OSError | None = None
        for address in resolve(self.host, self.port):
            try:
                self.sock = socket.create_connection((address, self.port), self.timeout)
                break
            except OSError as exc:
                error = exc
        else:
            raise error or OSError(f"{self.host} has no address")
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class PublicHTTPSConnection(http.client.HTTPSConnection, PublicHTTPConnection):
    """TLS over :class:`PublicHTTPConnection` (``HTTPSConnection.connect`` wraps the socket its
    parent opened, with the URL's host name for SNI and the certificate check)."""


class PublicHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(PublicHTTPConnection, req)


class PublicHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(PublicHTTPSConnection, req)


def opener(
    *handlers: urllib.request.BaseHandler | type[urllib.request.BaseHandler],
) -> urllib.request.OpenerDirector:
    """A urllib opener that reaches public addresses only, directly (no environment proxy)."""
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), PublicHTTPHandler, PublicHTTPSHandler, *handlers
    )
