"""fetch() against a real HTTP server on 127.0.0.1: pages, redirects, caps, errors."""

from __future__ import annotations

from dataclasses import replace

import pytest

from dateline.clipping.errors import (
    AddressNotAllowed,
    FetchTimeout,
    HTTPStatusError,
    NotAWebAddress,
    TooLarge,
    TooManyRedirects,
    WrongContentType,
)
from dateline.clipping.fetch import IMAGE_POLICY, PAGE_POLICY, USER_AGENT, FetchPolicy, fetch

from .conftest import ARTICLE, PNG


def test_a_page_is_fetched_with_its_type_charset_and_body(server, local_policy):
    page = fetch(server.url("/article"), local_policy)
    assert page.status == 200
    assert page.content_type == "text/html"
    assert page.charset == "utf-8"
    assert page.body == ARTICLE
    assert page.url == server.url("/article")
    assert page.redirects == ()


def test_the_request_is_honest_about_who_we_are(server, local_policy):
    fetch(server.url("/headers"), local_policy)
    path, headers = server.requests[-1]
    assert path == "/headers"
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Host"] == f"127.0.0.1:{server.port}"


def test_a_declared_charset_is_reported_as_written(server, local_policy):
    page = fetch(server.url("/latin1"), local_policy)
    assert page.charset == "iso-8859-1"
    assert page.body.decode(page.charset) == "<p>caf\xe9</p>"


def test_xhtml_counts_as_a_web_page(server, local_policy):
    assert fetch(server.url("/xhtml"), local_policy).content_type == "application/xhtml+xml"


def test_a_compressed_page_arrives_decompressed(server, local_policy):
    assert fetch(server.url("/gzipped"), local_policy).body == ARTICLE


def test_redirects_are_followed_and_recorded(server, local_policy):
    page = fetch(server.url("/hop/3"), local_policy)
    assert page.url == server.url("/article")
    assert page.redirects == tuple(server.url(f"/hop/{n}") for n in (3, 2, 1))
    assert page.body == ARTICLE


def test_a_relative_redirect_is_resolved_against_the_current_address(server, local_policy):
    page = fetch(server.url("/relative"), local_policy)
    assert page.url == server.url("/article")


def test_five_redirects_are_followed_but_six_are_too_many(server, local_policy):
    assert fetch(server.url("/hop/5"), local_policy).url == server.url("/article")
    with pytest.raises(TooManyRedirects) as error:
        fetch(server.url("/hop/6"), local_policy)
    assert error.value.message == "Too many redirects."


def test_a_redirect_loop_ends_with_too_many_redirects(server, local_policy):
    with pytest.raises(TooManyRedirects):
        fetch(server.url("/loop"), local_policy)
    assert len(server.requests) == local_policy.max_redirects + 1


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/to-metadata", AddressNotAllowed, "cloud metadata"),
        ("/to-private", AddressNotAllowed, "private network"),
        ("/to-file", NotAWebAddress, "That is not a web address."),
    ],
)
def test_a_redirect_to_a_forbidden_address_is_refused_before_connecting(
    server, local_policy, connections, path, error, message
):
    with pytest.raises(error) as raised:
        fetch(server.url(path), local_policy)
    assert message in raised.value.message
    assert {c[:2] for c in connections} == {("127.0.0.1", server.port)}


def test_a_redirect_without_a_location_is_an_error(server, local_policy):
    with pytest.raises(HTTPStatusError) as error:
        fetch(server.url("/no-location"), local_policy)
    assert error.value.status == 302


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "The page was not found (HTTP 404)."),
        ("/gone", "The page was not found (HTTP 410)."),
        ("/forbidden", "The site refused to show the page (HTTP 403)."),
        ("/broken", "The site had an error (HTTP 500); try again later."),
    ],
)
def test_http_errors_are_told_in_plain_words(server, local_policy, path, message):
    with pytest.raises(HTTPStatusError) as error:
        fetch(server.url(path), local_policy)
    assert error.value.message == message


def test_an_image_is_not_a_web_page(server, local_policy):
    with pytest.raises(WrongContentType) as error:
        fetch(server.url("/image.png"), local_policy)
    assert error.value.message == "That address is not a web page (content type image/png)."


def test_a_response_without_a_content_type_is_refused(server, local_policy):
    with pytest.raises(WrongContentType) as error:
        fetch(server.url("/no-type"), local_policy)
    assert "(content type unknown)" in error.value.message


def test_the_image_policy_fetches_images_and_refuses_pages(server, local_policy):
    images = replace(IMAGE_POLICY, allow_loopback=True, allowed_ports=local_policy.allowed_ports)
    assert fetch(server.url("/image.png"), images).body == PNG
    with pytest.raises(WrongContentType) as error:
        fetch(server.url("/article"), images)
    assert error.value.message == "That address is not an image (content type text/html)."


def test_the_image_policy_keeps_the_address_rules_and_a_smaller_cap():
    assert IMAGE_POLICY.allowed_ports == PAGE_POLICY.allowed_ports
    assert not IMAGE_POLICY.allow_loopback
    assert IMAGE_POLICY.max_bytes < PAGE_POLICY.max_bytes


def test_a_declared_huge_body_is_refused_before_reading_it(server, local_policy):
    with pytest.raises(TooLarge) as error:
        fetch(server.url("/huge-declared"), local_policy)
    assert error.value.message == "The page is larger than 10 MB."


@pytest.mark.parametrize("path", ["/huge-undeclared", "/gzip-bomb"])
def test_an_undeclared_or_compressed_huge_body_is_cut_off_while_streaming(
    server, local_policy, path
):
    small = replace(local_policy, max_bytes=100_000)
    with pytest.raises(TooLarge) as error:
        fetch(server.url(path), small)
    assert error.value.message == "The page is larger than 100 kB."


def test_the_default_policy_is_the_documented_one():
    assert PAGE_POLICY.allowed_schemes == {"http", "https"}
    assert PAGE_POLICY.allowed_ports == {80, 443, 8080}
    assert PAGE_POLICY.max_bytes == 10_000_000
    assert PAGE_POLICY.total_timeout == 20.0
    assert PAGE_POLICY.max_redirects == 5
    assert PAGE_POLICY.allow_loopback is False


@pytest.mark.parametrize("path", ["/slow", "/trickle"])
def test_a_slow_or_trickling_site_runs_out_of_time(server, local_policy, path):
    hurried = replace(local_policy, total_timeout=0.5)
    with pytest.raises(FetchTimeout) as error:
        fetch(server.url(path), hurried)
    assert error.value.message == "The site took too long to answer."


def test_the_local_server_is_refused_without_the_explicit_test_setting(server, connections):
    policy = FetchPolicy(allowed_ports=frozenset({server.port}))
    with pytest.raises(AddressNotAllowed):
        fetch(server.url("/article"), policy)
    assert connections == []
    assert server.requests == []


def test_a_port_outside_the_policy_is_refused_even_on_loopback(server, connections):
    policy = FetchPolicy(allow_loopback=True)
    with pytest.raises(AddressNotAllowed) as error:
        fetch(server.url("/article"), policy)
    assert f"port {server.port}" in error.value.message
    assert connections == []
