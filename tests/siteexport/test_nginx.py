"""Real nginx (Debian package) with deploy/nginx.conf in front of the mirror and a live server.

Skips when nginx is not installed, unless DATELINE_REQUIRE_NGINX=1 (CI), which fails.
"""

import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils.encoding import iri_to_uri

from dateline.comments.models import Comment
from dateline.posts.models import Label, Redirect
from dateline.siteexport import shared
from dateline.siteexport.build import build_site
from dateline.siteexport.incremental import update_site
from dateline.siteexport.render import for_mirror
from tests.ports import free_port

REPO = Path(__file__).resolve().parents[2]
MAIN_CONF = """
{user}
pid {prefix}/nginx.pid;
error_log {prefix}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/dateline.conf;
}}
"""


def nginx_binary() -> str:
    debian = Path("/usr/sbin/nginx")  # not on a non-root PATH
    found = shutil.which("nginx") or (str(debian) if debian.exists() else None)
    if found:
        return found
    reason = "nginx is not installed (apt-get install nginx)"
    if os.environ.get("DATELINE_REQUIRE_NGINX") == "1":
        pytest.fail(f"{reason}, and DATELINE_REQUIRE_NGINX=1", pytrace=False)
    pytest.skip(f"{reason}: nginx test skipped (set DATELINE_REQUIRE_NGINX=1 to fail)")


def site_conf(port: int, mirror: Path, upstream: str) -> str:
    """The shipped configuration with this test's port, mirror and live server."""
    text = (REPO / "deploy/nginx.conf").read_text()
    for shipped, ours in (("listen 80;", f"listen 127.0.0.1:{port};"),
                          ("root /var/www/dateline-mirror;", f"root {mirror};"),
                          ("alias /var/www/dateline-mirror/", f"alias {mirror}/"),
                          ("server 127.0.0.1:8000;", f"server {upstream};")):  # fmt: skip
        assert shipped in text
        text = text.replace(shipped, ours)
    return text


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {log.read_text() if log.exists() else ''}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError("nginx did not start listening")


def start_nginx(tmp_path: Path, upstream: str, *, tls: bool) -> Iterator[tuple[int, Path]]:
    """The shipped configuration on a free port, over TLS (a self-signed certificate, as an
    operator adds `listen 443 ssl;`) or plain HTTP."""
    binary = nginx_binary()
    port = free_port()
    mirror = tmp_path / "mirror"
    build_site(mirror, f"{'https' if tls else 'http'}://127.0.0.1:{port}")
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    conf = site_conf(port, mirror, upstream)
    if tls:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-subj", "/CN=127.0.0.1", "-keyout", str(prefix / "key.pem"),
             "-out", str(prefix / "cert.pem")],
            check=True, capture_output=True,
        )  # fmt: skip
        certificate = (f"ssl_certificate {prefix}/cert.pem; "
                       f"ssl_certificate_key {prefix}/key.pem;")  # fmt: skip
        listen = f"listen 127.0.0.1:{port};"
        conf = conf.replace(listen, f"listen 127.0.0.1:{port} ssl; {certificate}")
    (prefix / "dateline.conf").write_text(conf)
    user = "user root root;" if os.geteuid() == 0 else ""  # workers must read pytest's tmp
    (prefix / "nginx.conf").write_text(MAIN_CONF.format(prefix=prefix, user=user))
    log = prefix / "error.log"
    command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log),
               "-g", "daemon off;"]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(port, process, log)
        yield port, mirror
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def nginx(tmp_path: Path, live_server, blog) -> Iterator[tuple[int, Path]]:
    yield from start_nginx(tmp_path, urlsplit(live_server.url).netloc, tls=False)


@pytest.fixture
def nginx_tls(tmp_path: Path, live_server, blog) -> Iterator[tuple[int, Path]]:
    yield from start_nginx(tmp_path, urlsplit(live_server.url).netloc, tls=True)


def fetch(port: int, path: str, method: str = "GET", body: str = "", headers=None, tls=False):
    if tls:  # our own self-signed certificate
        context = ssl._create_unverified_context()  # noqa: S323
        connection = http.client.HTTPSConnection("127.0.0.1", port, timeout=20, context=context)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, iri_to_uri(path), body=body or None, headers=headers or {})
    response = connection.getresponse()
    return response, response.read()


@pytest.mark.django_db(transaction=True)
def test_nginx_serves_the_mirror_for_the_live_sites_own_urls(nginx, blog):
    port, mirror = nginx
    pages = {"/": "index.html", "/?page=2": "page/2/index.html",
             blog["café"].path: blog["café"].path.lstrip("/"),
             "/search/label/North%20Sea": "search/label/North Sea/index.html",
             "/search/label/Harbours?page=2": "search/label/Harbours/page/2/index.html",
             "/feeds/posts/default": "feeds/posts/default/index.atom",
             blog["about"].path: blog["about"].path.lstrip("/"),
             "/search.html": "search.html", "/search.html?q=ferry": "search.html",
             "/sitemap.xml": "sitemap.xml"}  # fmt: skip
    for url, name in pages.items():
        response, body = fetch(port, url)
        assert response.status == 200, url
        assert response.getheader("X-Dateline-Origin") is None, url
        assert body == shared.served(mirror, name), url
        assert b"<!--#" not in body, url  # the sidebar's include was carried out
        assert "script-src 'self'" in response.getheader("Content-Security-Policy")
    response, body = fetch(port, "/feeds/posts/default?alt=rss")
    assert response.getheader("Content-Type") == "application/rss+xml; charset=utf-8"
    assert body == (mirror / "feeds/posts/default/index.rss").read_bytes()
    for url in ("/", "/search/label/North%20Sea", "/search/label/Harbours?page=2"):
        response, _ = fetch(port, url)
        assert response.getheader("Content-Type") == "text/html; charset=utf-8", url


@pytest.mark.django_db(transaction=True)
def test_nginx_passes_search_queries_and_the_mirrors_bookkeeping_to_the_live_server(nginx):
    port, _ = nginx
    response, body = fetch(port, "/search?q=ferry")
    assert response.status == 200 and response.getheader("X-Dateline-Origin") == "live"
    assert b"Ferry timetable" in body
    response, body = fetch(port, "/.dateline-mirror.json")
    assert response.status == 404 and b'"files"' not in body
    response, _ = fetch(port, "/?page=2&max-results=3")
    assert response.getheader("X-Dateline-Origin") == "live"


@pytest.mark.django_db(transaction=True)
def test_a_post_address_with_a_query_or_without_a_file_goes_to_the_live_server(nginx, blog):
    port, _ = nginx
    post = blog["ferry"]
    Redirect.objects.create(old_path="/2007/07/ferry-story.html", new_path=post.path)
    response, _ = fetch(port, "/2007/07/ferry-story.html")  # an old address, migrated
    assert response.status == 301 and response.getheader("Location").endswith(post.path)
    assert response.getheader("X-Dateline-Origin") == "live"
    response, body = fetch(port, f"{post.path}?reply=1")
    assert response.status == 200 and response.getheader("X-Dateline-Origin") == "live"
    assert b'name="csrfmiddlewaretoken" value=""' not in body  # the live form, with a token
    response, _ = fetch(port, f"{post.path}/index.html")
    assert response.status == 404 and response.getheader("X-Dateline-Origin") == "live"


@pytest.mark.django_db(transaction=True)
def test_label_pages_come_from_the_mirror_only_when_it_has_their_file(nginx, blog):
    port, mirror = nginx
    blog["ferry"].labels.add(Label.objects.create(name="Brücke"))
    build_site(mirror, f"http://127.0.0.1:{port}")
    response, body = fetch(port, "/search/label/Br%C3%BCcke")
    assert (response.status, response.getheader("X-Dateline-Origin")) == (200, None)
    assert body == shared.served(mirror, "search/label/Brücke/index.html")
    # Another query string, a page past the last, a label the blog never had, another
    # spelling of a label: no file in the mirror, so the live server answers each.
    for url, status in (("/search/label/Harbours?max-results=1", 200),
                        ("/search/label/Harbours?page=9", 404),
                        ("/search/label/Harbours?page=x", 404),
                        ("/search/label/Nowhere", 404),
                        ("/search/label/north%20sea", 200)):  # fmt: skip
        response, body = fetch(port, url)
        assert (response.status, response.getheader("X-Dateline-Origin")) == (status, "live"), url
        if status == 200:
            assert b"Harbours" in body or b"North Sea" in body, url
    # A path below a label page is no label page: `location /` and the live server.
    response, _ = fetch(port, "/search/label/Harbours/feed")
    assert response.status == 404 and response.getheader("X-Dateline-Origin") == "live"


@pytest.mark.django_db(transaction=True)
def test_a_comment_from_a_mirrored_page_needs_the_live_token_and_then_arrives(nginx, blog):
    port, _ = nginx
    post = blog["night"]
    form = {"author_name": "Sigrid", "body": "The sleeper was full on Friday.", "website": ""}
    action = f"/comments/post/{post.pk}/"
    plain = "application/x-www-form-urlencoded"
    static_form = "&".join(f"{k}={v.replace(' ', '+')}" for k, v in
                           {**form, "csrfmiddlewaretoken": "", "started": ""}.items())  # fmt: skip
    response, _ = fetch(port, action, "POST", static_form, {"Content-Type": plain})
    assert response.status == 403  # CSRF stays enforced: the static form alone cannot post
    # What comment-form.js does: fetch the live page (a query string goes to the live server).
    response, page = fetch(port, f"{post.path}?comment-form")
    assert response.getheader("X-Dateline-Origin") == "live"
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    started = re.search(rb'name="started" value="([^"]+)"', page).group(1).decode()
    filled = static_form.replace("csrfmiddlewaretoken=&started=",
                                 f"csrfmiddlewaretoken={token}&started={started}")  # fmt: skip
    headers = {"Content-Type": plain, "Cookie": cookie, "Origin": f"http://127.0.0.1:{port}"}
    response, _ = fetch(port, action, "POST", filled, headers)
    assert response.status == 303, response.status
    assert Comment.objects.filter(post=post, author_name="Sigrid").exists()


MIRRORED = ("/", "/?page=2", "/search/label/North%20Sea", "/feeds/posts/default", "/search.html")


def django_security_headers(client, settings) -> dict[str, str | None]:
    """HSTS and COOP as the live site sends them over HTTPS with settings/prod.py's defaults."""
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    return {name: response.headers.get(name)
            for name in ("Strict-Transport-Security", "Cross-Origin-Opener-Policy")}  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_mirrored_pages_over_tls_carry_the_live_sites_hsts_and_coop(nginx_tls, blog, client,
                                                                    settings):  # fmt: skip
    port, _ = nginx_tls
    live = django_security_headers(client, settings)
    assert all(live.values()), live
    for url in (*MIRRORED, blog["café"].path, "/static/dateline/site.css"):
        response, _ = fetch(port, url, tls=True)
        assert response.status == 200, url
        if url.startswith("/static/"):
            continue  # served from the live server here (no collectstatic in tests)
        assert response.getheader("X-Dateline-Origin") is None, url
        for name, value in live.items():
            assert response.getheader(name) == value, (url, name)


@pytest.mark.django_db(transaction=True)
def test_mirrored_pages_over_plain_http_carry_coop_but_no_hsts(nginx, blog):
    port, _ = nginx
    for url in (*MIRRORED, blog["café"].path):
        response, _ = fetch(port, url)
        assert response.getheader("X-Dateline-Origin") is None, url
        assert response.getheader("Cross-Origin-Opener-Policy") == "same-origin", url
        assert response.getheader("Strict-Transport-Security") is None, url


def live_answer(url: str, host: str) -> bytes:
    """The live site's page for a URL, as the mirror keeps it (no per-reader token)."""
    from django.test import Client

    response = Client(HTTP_HOST=host).get(iri_to_uri(url))
    assert response.status_code == 200, url
    return for_mirror(response.content, urlsplit(url).path)


@pytest.mark.django_db(transaction=True)
def test_through_nginx_every_page_carries_the_live_sidebar_after_each_update(nginx, blog):
    """Pages include the shared sidebar (SSI): publishing, editing and unpublishing one
    post rewrite that file, and every page nginx answers shows the new counts, as the live
    server does, byte for byte."""
    from dateline.posts.models import Post

    port, mirror = nginx
    base = f"http://127.0.0.1:{port}"
    urls = ["/", "/?page=2", blog["café"].path, blog["about"].path,
            "/search/label/Harbours", "/search/label/Rail", "/search.html"]  # fmt: skip
    response, _ = fetch(port, shared.SIDEBAR_URL)
    assert response.status == 404  # the fragment is for nginx's own includes only
    rail = Label.objects.get(name="Rail")
    post = Post.objects.create(title="Tram line reaches the ferry port", body_source="At last.",
                               status=Post.Status.PUBLISHED)  # fmt: skip
    post.labels.add(rail)
    steps = [("published", 2), ("edited", 2), ("unpublished", 1)]
    for step, rail_count in steps:
        if step == "edited":
            post.title = "Tram line reaches the ferry port, a year late"
            post.save()
        elif step == "unpublished":
            post.status = Post.Status.DRAFT
            post.save()
        report = update_site(mirror, base)
        assert not report.full, step
        untouched = (mirror / blog["about"].path.lstrip("/")).read_bytes()
        assert shared.INCLUDE.encode() in untouched  # the page itself was not rewritten
        for url in urls:
            response, body = fetch(port, url)
            assert response.getheader("X-Dateline-Origin") is None, (step, url)
            assert f"Rail</a> ({rail_count})".encode() in body, (step, url)
            if url != "/search.html":  # a mirror-only page: no live twin
                assert body == live_answer(url, f"127.0.0.1:{port}"), (step, url)
