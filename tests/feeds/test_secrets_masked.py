"""Feed credentials never show: not in command output, log lines, stored runs or admin
pages, whatever the upstream answers (issue #16, point 7)."""

from __future__ import annotations

import json
import logging
import socket
from http.server import BaseHTTPRequestHandler
from io import StringIO
from typing import Any

import pytest
import requests
import responses
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from showcase.core.http import MASK, RedactingFilter, redact
from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.fake_server import FakeServer
from showcase.feeds.models import Feed, SyncRun, masked

KEY = "SECRETKEY123"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("feeds", *args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
    return out.getvalue(), err.getvalue()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EchoingUpstream(BaseHTTPRequestHandler):
    """An upstream that quotes the request (key included) in its error pages."""

    protocol_version = "HTTP/1.1"
    status = 400
    content_type = "application/json"

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        if self.content_type == "application/json":
            body = json.dumps({"error": {"message": f"bad request {self.path}"}}).encode()
        else:
            body = f"<html><h1>Internal admin</h1>{self.path}</html>".encode()
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class EchoingHtml(EchoingUpstream):
    status = 500
    content_type = "text/html"


def db_text() -> str:
    rows = SyncRun.objects.values_list("error", "warnings", "rejections")
    return json.dumps([list(r) for r in rows], ensure_ascii=False, default=str)


@pytest.mark.django_db(transaction=True)
def test_the_gedeon_key_appears_nowhere_after_add_and_syncs_that_succeed_and_fail(
    caplog, client, settings, django_user_model
):
    settings.FEEDS_HTTP_RETRIES = 1
    caplog.set_level(logging.DEBUG)
    outputs: list[str] = []
    with FakeGedeon(count=5, key=KEY) as good:
        outputs += run("add", "gedeon", "--name", "parc", "--key", KEY, "--base-url", good.url)
        outputs += run("sync", "parc")
        assert Feed.objects.get(name="parc").listings.count() == 5
    # A host that is down: requests' error quotes the URL with ?key=...
    Feed.objects.filter(name="parc").update(base_url=f"http://127.0.0.1:{closed_port()}")
    outputs += run("sync", "parc")
    # Hosts that echo the request, key included, in JSON and in an HTML error page.
    for handler in (EchoingUpstream, EchoingHtml):
        with FakeServer(handler, host="127.0.0.1", port=0) as echo:
            Feed.objects.filter(name="parc").update(base_url=echo.url)
            outputs += run("sync", "parc")
    # A wrong key refused by the upstream.
    with FakeGedeon(count=1, key="another-key") as refusing:
        Feed.objects.filter(name="parc").update(base_url=refusing.url)
        outputs += run("sync", "parc")
    outputs += run("list")

    assert SyncRun.objects.filter(status="failed").count() == 4
    assert "Internal admin" not in db_text()  # an HTML error page is never quoted
    root = django_user_model.objects.create_superuser("root", "root@x.test", "pw")
    client.force_login(root)
    pages = [
        client.get(reverse("admin:feeds_feed_changelist")).content.decode(),
        client.get(reverse("admin:feeds_syncrun_changelist")).content.decode(),
    ]
    for run_ in SyncRun.objects.all():
        pages.append(
            client.get(reverse("admin:feeds_syncrun_change", args=[run_.pk])).content.decode()
        )
    logs = "\n".join(logging.Formatter("%(message)s").format(record) for record in caplog.records)
    assert "key=" in logs or "key=" in "".join(outputs)  # URLs were logged or printed...
    for where, text in {
        "command output": "\n".join(outputs),
        "logs": logs,
        "stored runs": db_text(),
        "admin pages": "\n".join(pages),
    }.items():
        assert KEY not in text, where  # ...always masked


def test_redact_masks_key_parameters_user_info_and_the_given_secrets():
    text = (
        "GET http://api.gedeon.im/ads?key=abc123&limit=100 via https://12:t0kenXYZ@api.apimo.pro/"
        " answered: invalid token t0kenXYZ"
    )
    masked_text = redact(text, ["t0kenXYZ"])
    assert "abc123" not in masked_text and "t0kenXYZ" not in masked_text
    assert f"key={MASK}&limit=100" in masked_text
    assert f"https://{MASK}@api.apimo.pro/" in masked_text


def test_log_lines_of_the_http_stack_are_masked_where_they_are_made(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3.connectionpool").debug(
        '%s "%s %s" %s', "http://api.gedeon.im:443", "GET", "/ads?key=SECRETKEY123", 200
    )
    assert "SECRETKEY123" not in caplog.text and f"key={MASK}" in caplog.text


def test_the_logging_filter_masks_tracebacks_too():
    try:
        raise requests.ConnectionError("Max retries exceeded with url: /ads?key=SECRETKEY123")
    except requests.ConnectionError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        import sys

        record.exc_info = sys.exc_info()
    RedactingFilter().filter(record)
    assert "SECRETKEY123" not in (record.exc_text or "") and MASK in (record.exc_text or "")


@pytest.mark.parametrize(
    ("secret", "shown"),
    [
        ("", ""),
        ("demo-token", "••••••••"),
        ("k", "••••••••"),
        ("0123456789abcdefghijKLM", "••••••••KLM"),
    ],
)
def test_masked_secrets_show_nothing_of_short_ones_and_three_last_characters_of_long_ones(
    secret, shown
):
    assert masked(secret) == shown


@responses.activate
@pytest.mark.django_db
def test_an_upstream_echoing_the_key_in_its_json_error_is_quoted_masked(settings):
    from showcase.core.http import UpstreamAuthError
    from showcase.feeds.gedeon.client import GedeonClient
    from tests.factories import make_feed

    feed = make_feed(base_url="http://gedeon.test", api_key=KEY)
    responses.get(
        "http://gedeon.test/ads/1",
        status=403,
        json={"error": {"message": f"key {KEY} is not valid\n\n for this\tclient"}},
    )
    with pytest.raises(UpstreamAuthError) as caught:
        GedeonClient(feed).ad("1")
    assert KEY not in str(caught.value)
    assert f"key {MASK} is not valid for this client" in str(caught.value)


@responses.activate
@pytest.mark.django_db
def test_upstream_error_pages_that_are_not_json_are_never_quoted(settings):
    from showcase.core.http import UpstreamError
    from showcase.feeds.gedeon.client import GedeonClient
    from tests.factories import make_feed

    settings.FEEDS_HTTP_RETRIES = 0
    feed = make_feed(base_url="http://gedeon.test", api_key=KEY)
    responses.get(
        "http://gedeon.test/ads/1",
        status=418,
        body='<html>{"message": "internal dashboard"}</html>',
        content_type="text/html",
    )
    with pytest.raises(UpstreamError) as caught:
        GedeonClient(feed).ad("1")
    assert "internal dashboard" not in str(caught.value)
    assert "HTTP 418" in str(caught.value)


@responses.activate
@pytest.mark.django_db
def test_long_upstream_explanations_are_cut_to_200_characters():
    from showcase.core.http import UpstreamError
    from showcase.feeds.gedeon.client import GedeonClient
    from tests.factories import make_feed

    feed = make_feed(base_url="http://gedeon.test")
    responses.get("http://gedeon.test/ads/1", status=400, json={"message": "x" * 5000})
    with pytest.raises(UpstreamError) as caught:
        GedeonClient(feed).ad("1")
    assert len(caught.value.detail) == 200 and caught.value.detail.endswith("…")


@responses.activate
@pytest.mark.django_db
def test_a_redirect_is_not_followed_so_the_key_goes_nowhere_else():
    from showcase.core.http import UpstreamBadResponse
    from showcase.feeds.gedeon.client import GedeonClient
    from tests.factories import make_feed

    feed = make_feed(base_url="http://gedeon.test", api_key=KEY)
    responses.get(
        "http://gedeon.test/ads/1",
        status=302,
        headers={"Location": "http://internal.example/steal"},
    )
    with pytest.raises(UpstreamBadResponse, match="redirect"):
        GedeonClient(feed).ad("1")
    assert [c.request.url.split("?")[0] for c in responses.calls] == ["http://gedeon.test/ads/1"]


@pytest.mark.django_db
def test_runs_stored_before_masking_are_masked_by_the_migration():
    import importlib

    from django.apps import apps

    from tests.factories import make_feed

    migration = importlib.import_module(
        "showcase.feeds.migrations.0003_mask_credentials_in_stored_sync_runs"
    )
    feed = make_feed(api_key=KEY)
    leaked = SyncRun.objects.create(
        feed=feed,
        status="failed",
        error=f"could not be reached (url: /ads?key={KEY}&limit=100)",
        warnings=[{"reason": f"agencies not read: invalid key {KEY}"}],
    )
    clean = SyncRun.objects.create(feed=feed, status="success")
    migration.mask_runs(apps, None)
    leaked.refresh_from_db()
    clean.refresh_from_db()
    assert KEY not in leaked.error + json.dumps(leaked.warnings)
    assert f"key={MASK}&limit=100" in leaked.error
    assert clean.error == "" and clean.warnings == []
