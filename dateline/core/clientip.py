"""The address a request came from, as anything keyed by address (the login limit) sees it.

Directly on the internet that is REMOTE_ADDR. Behind our own reverse proxy
(DATELINE_BEHIND_PROXY) every request comes from the proxy, so we read the last
X-Forwarded-For entry instead: nginx's `$proxy_add_x_forwarded_for` appends the address
it saw, so that entry is the proxy's word, while anything a client sent stands before it.
"""

from ipaddress import IPv6Address, IPv6Network, ip_address

from django.conf import settings
from django.http import HttpRequest


def _valid(candidate: str) -> str:
    """`candidate` when it is an IP address, else ""."""
    try:
        return str(ip_address(candidate.strip()))
    except ValueError:
        return ""


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our proxy the address the proxy saw."""
    remote = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "DATELINE_BEHIND_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1] if forwarded else ""
        return _valid(last) or remote
    return remote


def rate_limit_key(ip: str) -> str:
    """The bucket an address is counted in by per-address limits.

    IPv4 is one address per bucket. IPv6 is grouped by its /64: a single home or server
    is handed a whole /64 and can pick a fresh address from it for every request, so
    counting exact addresses would let one machine walk past any limit. An IPv4-mapped
    IPv6 address (::ffff:192.0.2.1) counts as the IPv4 address it carries.
    """
    try:
        address = ip_address(ip.strip())
    except ValueError:
        return ip.strip()
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(IPv6Network((address, 64), strict=False))
    return str(address)


def login_address(request: HttpRequest) -> str:
    """The address the login limit counts a request under, as a plain IP address.

    The same buckets as `rate_limit_key` (an IPv6 /64 is one client), written as the
    bucket's first address because django-axes stores it in an IP address field.
    """
    bucket = rate_limit_key(client_ip(request))
    if "/" in bucket:
        return str(IPv6Network(bucket).network_address)
    return bucket
