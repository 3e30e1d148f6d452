"""Hostile addresses are refused before any socket connects (watched via audit events).

Names ending in .test resolve through a table here; any other name reaching the
resolver fails the test, so no lookup leaves the machine.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from dateline.clipping._addresses import vet_url
from dateline.clipping.errors import AddressNotAllowed, FetchError, NotAWebAddress
from dateline.clipping.fetch import PAGE_POLICY, fetch

DNS = {
    "internal.test": ["10.0.0.5"],
    "mixed.test": ["93.184.216.34", "192.168.1.1"],
    "v6private.test": ["fd00::1"],
    "mapped.test": ["::ffff:127.0.0.1"],
    "metadata.test": ["169.254.169.254"],
    "cgnat.test": ["100.64.12.1"],
    "nat64.test": ["64:ff9b::a00:1"],
    "loopback.test": ["127.0.0.1"],
}


class TableResolver:
    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    def __call__(self, host: str, port: int) -> list[str]:
        self.asked.append(host)
        if host not in self.table:
            pytest.fail(f"unexpected DNS lookup of {host}")
        return self.table[host]


HOSTILE = [
    # loopback and numeric spellings of it
    "http://127.0.0.1/",
    "http://127.0.0.1:8080/",
    "http://127.255.255.254/",
    "http://127.1/",
    "http://2130706433/",
    "http://0x7f000001/",
    "http://0x7f.1/",
    "http://0x7f.0x0.0x0.0x1/",
    "http://0177.0.0.1/",
    "http://0177.1/",
    "http://017700000001/",
    "http://127.000.000.001/",
    "http://127.0.0.1./",
    "http://0/",
    "http://0.0.0.0/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://shop.localhost/",
    "http://\u2460\u2461\u2466.0.0.1/",  # circled digits: IDNA folds them into "127"
    "http://127\u30020\u30020\u30021/",  # ideographic full stops
    # private, shared, link-local, metadata, multicast, reserved
    "http://10.0.0.1/",
    "http://172.16.5.4/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.0.1/",
    "http://192.0.0.8/",
    "http://198.18.0.1/",
    "http://224.0.0.1/",
    "http://239.255.255.250:8080/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    # IPv6 forms
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:7f00:1]/",
    "http://[::ffff:10.0.0.1]/",
    "http://[::127.0.0.1]/",
    "http://[64:ff9b::127.0.0.1]/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/",
    "http://[2002:a9fe:a9fe::1]/",
    "http://[fd00:ec2::254]/",
    "http://[fe80::1]/",
    "http://[fe80::1%25eth0]/",
    "http://[fc00::1]/",
    "http://[ff02::1]/",
    # userinfo and parser tricks
    "http://example.com@127.0.0.1/",
    "http://user:secret@example.com/",
    "http://127.0.0.1#@example.com/",
    "http://example.com\\@127.0.0.1/",
    "http://127.0.0.1%2f@example.com/",
    "http://127.0.0.1:80\\@example.com/",
    "http://exa mple.com/",
    " http://127.0.0.1/",
    # schemes that are not the web
    "file:///etc/passwd",
    "gopher://127.0.0.1:70/_GET",
    "ftp://example.com/",
    "dict://127.0.0.1:11211/",
    "javascript:alert(1)",
    "data:text/html,<p>hi</p>",
    "//example.com/",
    "example.com/path",
    "",
    # ports outside the web (refused before the name is even looked up)
    "http://example.com:22/",
    "http://example.com:6379/",
    "https://example.com:8443/",
    "http://example.com:0/",
    "http://example.com:99999/",
    # names that resolve inside
    "http://internal.test/",
    "http://mixed.test/",
    "http://v6private.test/",
    "http://mapped.test/",
    "http://metadata.test/",
    "http://cgnat.test/",
    "http://nat64.test/",
    "http://loopback.test/",
]


@pytest.fixture
def resolver() -> TableResolver:
    return TableResolver(DNS)


@pytest.mark.parametrize("url", HOSTILE)
def test_a_hostile_address_is_refused_before_any_connection(url, resolver, connections):
    policy = replace(PAGE_POLICY, resolver=resolver)
    with pytest.raises((AddressNotAllowed, NotAWebAddress)) as error:
        fetch(url, policy)
    assert error.value.message.startswith(("That address is not allowed", "That is not a web"))
    assert connections == []
    assert all(host.endswith(".test") for host in resolver.asked)


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(HOSTILE) >= 40


def test_a_public_address_is_not_refused_by_the_vetting(resolver, connections):
    """The other side of the coin: a public answer passes and is the one connected to."""
    resolver.table = {"public.test": ["203.0.113.10"]}  # TEST-NET-3: not global, refused
    policy = replace(PAGE_POLICY, resolver=resolver, connect_timeout=0.2, total_timeout=0.5)
    with pytest.raises(AddressNotAllowed):
        fetch("http://public.test/", policy)
    resolver.table = {"public.test": ["93.184.216.34"]}
    _fetch_ignoring_network_errors("http://public.test:8080/", policy)
    assert [c[:2] for c in connections] == [("93.184.216.34", 8080)]


def _fetch_ignoring_network_errors(url: str, policy) -> None:
    """Tests have no internet (and must not need it): only the connection attempt matters."""
    try:
        fetch(url, policy)
    except AddressNotAllowed:
        raise
    except FetchError:
        pass


class RebindingResolver:
    """Public on the first question, loopback on every later one (a rebinding attack)."""

    def __init__(self, public: str) -> None:
        self.public = public
        self.calls = 0

    def __call__(self, host: str, port: int) -> list[str]:
        self.calls += 1
        return [self.public] if self.calls == 1 else ["127.0.0.1"]


def test_dns_rebinding_cannot_swap_the_vetted_address(connections):
    resolver = RebindingResolver("93.184.216.34")
    policy = replace(PAGE_POLICY, resolver=resolver, connect_timeout=0.2, total_timeout=0.5)
    _fetch_ignoring_network_errors("http://rebind.test:8080/", policy)
    assert resolver.calls == 1  # one answer, vetted and pinned: no second lookup to win
    assert [c[0] for c in connections] == ["93.184.216.34"]


def test_a_pinned_name_reaches_the_vetted_address_with_its_own_host_header(
    server, local_policy, connections
):
    resolver = TableResolver({"clip.test": ["127.0.0.1"]})
    policy = replace(local_policy, resolver=resolver)
    page = fetch(f"http://clip.test:{server.port}/headers", policy)
    assert f"Host: clip.test:{server.port}".encode() in page.body
    assert {c[:2] for c in connections} == {("127.0.0.1", server.port)}


def test_a_redirect_to_a_name_that_resolves_inside_is_refused(server, local_policy, connections):
    resolver = TableResolver({"clip.test": ["127.0.0.1"], "internal.test": ["10.0.0.5"]})
    policy = replace(local_policy, resolver=resolver, allow_loopback=False)
    with pytest.raises(AddressNotAllowed):
        fetch(f"http://clip.test:{server.port}/article", policy)
    assert connections == []


@pytest.mark.parametrize("url", HOSTILE)
def test_our_own_vetting_refuses_it_without_help_from_requests_hardened(url, resolver):
    """requests-hardened checks the pinned address again; this layer must stand alone too."""
    with pytest.raises((AddressNotAllowed, NotAWebAddress)):
        vet_url(
            url,
            schemes=PAGE_POLICY.allowed_schemes,
            ports=PAGE_POLICY.allowed_ports,
            allow_loopback=False,
            resolver=resolver,
        )


@pytest.mark.parametrize(
    ("url", "normalized"),
    [
        ("HTTP://Example.COM", "http://example.com/"),
        ("https://example.com:443/a?b=1#frag", "https://example.com:443/a?b=1"),
        ("http://bücher.example/", "http://xn--bcher-kva.example/"),
        ("http://93.184.216.34:8080/x", "http://93.184.216.34:8080/x"),
    ],
)
def test_an_acceptable_address_is_normalized_and_pinned(url, normalized):
    target = vet_url(
        url,
        schemes=PAGE_POLICY.allowed_schemes,
        ports=PAGE_POLICY.allowed_ports,
        allow_loopback=False,
        resolver=lambda host, port: ["93.184.216.34"],
    )
    assert target.url == normalized
    assert str(target.ip) == "93.184.216.34"
