"""Limits, revalidation, the answer cache and security headers, in this process."""

from __future__ import annotations

from icsatlas.web.middleware import CACHE_ENTRIES, MAX_URL


def test_a_successful_answer_is_tagged_and_kept(app_client):
    app_client.app.cache.clear()
    first = app_client.get("/api/v1/where?q=Frimley")
    again = app_client.get("/api/v1/where?q=Frimley")
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    (key,) = app_client.app.cache  # httpx accepts gzip; kept for the host it was asked of
    assert key == first.headers["etag"].encode() + b"+gzip http://testserver"
    assert again.headers["etag"] == first.headers["etag"]
    assert "Cookie" in first.headers.get_list("vary") and "Cookie" in again.headers["vary"]


def test_compressed_and_plain_answers_are_kept_apart(app_client):
    app_client.app.cache.clear()
    zipped = app_client.get("/api/v1/functions")
    plain = app_client.get("/api/v1/functions", headers={"Accept-Encoding": "identity"})
    again = app_client.get("/api/v1/functions", headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers and "content-encoding" not in again.headers
    assert zipped.json() == plain.json() == again.json()
    assert len(app_client.app.cache) == 2


def test_an_answer_for_a_made_up_host_is_not_served_to_anyone_else(app_client):
    """Web cache poisoning: the next page's link is absolute, made from the request's Host."""
    app_client.app.cache.clear()
    poisoned = app_client.get("/api/v1/areas?limit=2", headers={"Host": "evil.example"})
    assert poisoned.json()["next"].startswith("http://evil.example/")
    honest = app_client.get("/api/v1/areas?limit=2")
    assert honest.json()["next"].startswith("http://testserver/api/v1/areas?")
    assert len(app_client.app.cache) == 2


def test_with_a_public_address_no_link_depends_on_the_host_sent(app_client, monkeypatch):
    """A cache in front that keys on its own name (nginx's $proxy_host) is not poisoned."""
    monkeypatch.setenv("ICSATLAS_PUBLIC_URL", "https://atlas.example.org/")
    app_client.app.cache.clear()
    page = app_client.get("/api/v1/areas?limit=2", headers={"Host": "evil.example"})
    assert page.json()["next"].startswith("https://atlas.example.org/api/v1/areas?limit=2&")
    csv = app_client.get("/api/v1/areas?format=csv", headers={"Host": "evil.example"})
    assert csv.headers["link"].startswith("<https://atlas.example.org/api/v1/areas?format=csvw>")
    feed = app_client.get("/feeds/area/QWO.atom", headers={"Host": "evil.example"}).text
    assert 'href="https://atlas.example.org/feeds/area/QWO.atom"' in feed
    app_client.app.cache.clear()


def test_if_none_match_gets_304_without_a_body(app_client):
    tag = app_client.get("/api/v1/reforms").headers["etag"]
    response = app_client.get("/api/v1/reforms", headers={"If-None-Match": f'"x", {tag}'})
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == tag
    assert response.headers["vary"] == "Cookie"  # as the 200 it stands for (RFC 9110 15.4.5)


def test_errors_are_not_tagged_or_kept(app_client):
    app_client.app.cache.clear()
    response = app_client.get("/api/v1/where?q=Nowhereville")
    assert response.status_code == 404
    assert "etag" not in response.headers
    assert not app_client.app.cache


def test_head_gets_headers_only_even_from_the_cache(app_client):
    app_client.get("/api/v1/functions")
    response = app_client.request("HEAD", "/api/v1/functions")
    assert response.status_code == 200
    assert response.content == b""


def test_the_cache_is_bounded(app_client):
    app_client.app.cache.clear()
    for n in range(CACHE_ENTRIES + 5):
        app_client.get(f"/api/v1/health?n={n}")  # health is never kept
    assert not app_client.app.cache
    for n in range(3):
        app_client.get(f"/api/v1/accountability?n={n}")
    assert len(app_client.app.cache) == 3


def test_an_overlong_url_is_refused_before_routing(app_client):
    response = app_client.get("/api/v1/where?q=" + "a" * MAX_URL)
    assert response.status_code == 414
    assert response.json()["title"] == "Request too long"


def test_every_response_is_secured_and_only_the_api_shared(app_client):
    api = app_client.get("/api/v1/health")
    static = app_client.get("/static/does-not-exist.css")
    assert "frame-ancestors 'none'" in api.headers["content-security-policy"]
    assert api.headers["access-control-allow-origin"] == "*"
    assert "content-security-policy" in static.headers
    assert "access-control-allow-origin" not in static.headers


def test_static_files_asked_for_by_digest_are_immutable(app_client):
    from icsatlas.web.design import static_version

    versioned = app_client.get(f"/static/icsatlas.css?v={static_version('icsatlas.css')}")
    plain = app_client.get("/static/icsatlas.css")
    assert versioned.status_code == plain.status_code == 200
    assert "immutable" in versioned.headers["cache-control"]
    assert "cache-control" not in plain.headers
