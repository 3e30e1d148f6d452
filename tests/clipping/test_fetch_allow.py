"""DATELINE_FETCH_ALLOW lets named hosts and networks through the private-address and port
rules, for clipping and checking alike; nothing else gets through, metadata never."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ImproperlyConfigured

from dateline.clipping._addresses import parse_fetch_allow
from dateline.clipping.allow import configured_allow
from dateline.clipping.errors import AddressNotAllowed
from dateline.clipping.fetch import PAGE_POLICY, fetch
from dateline.clipping.services import page_policy


def test_a_network_in_the_allow_list_reaches_the_local_server(server):
    policy = replace(PAGE_POLICY, allow=parse_fetch_allow("127.0.0.0/8"))
    assert fetch(server.url("/article"), policy).status == 200


def test_a_named_host_is_let_through_on_any_port(server):
    policy = replace(PAGE_POLICY, allow=parse_fetch_allow("localhost"))
    assert fetch(f"http://localhost:{server.port}/article", policy).status == 200


def test_without_the_allow_list_loopback_stays_refused(server, connections):
    with pytest.raises(AddressNotAllowed):
        fetch(server.url("/article"), PAGE_POLICY)
    policy = replace(PAGE_POLICY, allow=parse_fetch_allow("10.0.0.0/8, intranet.example"))
    with pytest.raises(AddressNotAllowed):
        fetch(server.url("/article"), policy)
    assert connections == []


def test_metadata_services_stay_refused_whatever_is_allowed(connections):
    policy = replace(PAGE_POLICY, allow=parse_fetch_allow("169.254.0.0/16"))
    with pytest.raises(AddressNotAllowed, match="metadata"):
        fetch("http://169.254.169.254/latest/meta-data/", policy)
    assert connections == []


def test_a_redirect_out_of_the_allowed_network_is_refused(server):
    policy = replace(PAGE_POLICY, allow=parse_fetch_allow("127.0.0.0/8"))
    with pytest.raises(AddressNotAllowed):
        fetch(server.url("/to-private"), policy)


def test_the_setting_reaches_the_clip_policy_and_bad_entries_are_named(settings):
    settings.DATELINE_FETCH_ALLOW = "wiki.intranet.example, 10.1.0.0/16"
    allow = page_policy().allow
    assert allow.names("wiki.intranet.example") and allow.networks
    settings.DATELINE_FETCH_ALLOW = "10.1.0.0/16, not a host!"
    with pytest.raises(ImproperlyConfigured, match="not a host!"):
        configured_allow()
