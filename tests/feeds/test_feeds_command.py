from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
import responses
from django.core.management import call_command
from django.core.management.base import CommandError

from showcase.feeds.models import Feed
from showcase.listings.models import Listing
from tests.factories import make_listing
from tests.feeds.gedeon.payloads import ad, envelope

pytestmark = pytest.mark.django_db
BASE = "http://gedeon.test"


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("feeds", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_adds_a_gedeon_feed_and_lists_it_without_showing_the_key():
    run("add", "gedeon", "--name", "parc", "--key", "supersecretkey", "--base-url", BASE)
    feed = Feed.objects.get(name="parc")
    assert (feed.kind, feed.api_key, feed.base_url) == ("gedeon", "supersecretkey", BASE)
    out, _ = run("list")
    assert "parc" in out and "never synced" in out
    assert "supersecretkey" not in out


def test_adds_an_apimo_feed_with_its_credentials():
    run(
        "add", "apimo", "--name", "apimo-1", "--provider", "12", "--token", "tok", "--agency", "345"
    )
    feed = Feed.objects.get(name="apimo-1")
    assert (feed.kind, feed.provider_id, feed.token, feed.upstream_agency_id) == (
        "apimo",
        "12",
        "tok",
        "345",
    )


def test_refuses_a_duplicate_name_and_a_bad_url_with_clear_messages():
    run("add", "gedeon", "--name", "parc", "--key", "k")
    with pytest.raises(CommandError, match="already exists"):
        run("add", "gedeon", "--name", "parc", "--key", "k")
    with pytest.raises(CommandError, match="not an http"):
        run("add", "gedeon", "--name", "other", "--key", "k", "--base-url", "ftp://x.test")
    with pytest.raises(CommandError, match="name"):
        run("add", "gedeon", "--name", "bad name!", "--key", "k")


@responses.activate
def test_sync_prints_a_summary_per_feed():
    run("add", "gedeon", "--name", "parc", "--key", "k", "--base-url", BASE)
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope([ad(1), ad(2)]))
    out, _ = run("sync", "parc")
    assert "parc: success - 2 created / 0 updated / 0 unchanged / 0 withdrawn / 0 rejected" in out
    out, _ = run("list")
    assert "last sync" in out and "2 created" in out


@responses.activate
def test_sync_exits_non_zero_when_a_feed_fails_and_keeps_its_listings(settings):
    settings.FEEDS_HTTP_RETRIES = 0
    run("add", "gedeon", "--name", "parc", "--key", "k", "--base-url", BASE)
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", json=envelope([ad(1), ad(2)]))
    run("sync")
    responses.reset()
    responses.get(f"{BASE}/agencies", json=envelope([]))
    responses.get(f"{BASE}/ads", status=503)
    with mock.patch("time.sleep"), pytest.raises(CommandError, match="1 feed\\(s\\) failed"):
        run("sync", "parc")
    assert Listing.objects.live().count() == 2


def test_sync_of_an_unknown_feed_is_an_error():
    with pytest.raises(CommandError, match="Unknown feed\\(s\\): nope"):
        run("sync", "nope")


def test_remove_with_yes_deletes_the_feed_and_refuses_unknown_names():
    run("add", "gedeon", "--name", "parc", "--key", "k")
    out, _ = run("remove", "parc", "--yes")
    assert "Removed" in out and not Feed.objects.exists()
    with pytest.raises(CommandError, match="Unknown feed 'parc'"):
        run("remove", "parc", "--yes")


def test_remove_without_yes_in_a_non_interactive_run_refuses_and_keeps_everything():
    run("add", "gedeon", "--name", "parc", "--key", "k")
    make_listing(feed=Feed.objects.get(name="parc"))
    with (
        mock.patch("showcase.feeds.management.commands.feeds._interactive", return_value=False),
        pytest.raises(CommandError, match="1 cached listing.*run again with --yes"),
    ):
        run("remove", "parc")
    assert Feed.objects.filter(name="parc").exists() and Listing.objects.count() == 1


@pytest.mark.parametrize(("answer", "removed"), [("yes", True), ("", False), ("y", False)])
def test_remove_at_a_terminal_asks_and_removes_only_on_yes(answer, removed):
    run("add", "gedeon", "--name", "parc", "--key", "k")
    with (
        mock.patch("showcase.feeds.management.commands.feeds._interactive", return_value=True),
        mock.patch("builtins.input", return_value=answer) as asked,
    ):
        if removed:
            run("remove", "parc")
        else:
            with pytest.raises(CommandError, match="was not removed"):
                run("remove", "parc")
    assert "cannot be undone" in asked.call_args.args[0]
    assert Feed.objects.filter(name="parc").exists() is not removed


def test_a_non_interactive_remove_is_refused_when_stdin_is_not_a_terminal(monkeypatch):
    run("add", "gedeon", "--name", "parc", "--key", "k")
    monkeypatch.setattr("sys.stdin", StringIO(""))
    with pytest.raises(CommandError, match="--yes"):
        run("remove", "parc")
    assert Feed.objects.filter(name="parc").exists()


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example",
        "http://api.gedeon.im",  # plain http, even to the official host
        "https://api.gedeon.im:8443",
        "https://user:pw@api.gedeon.im",
        "https://api.gedeon.im.evil.example",
        "https://api.gedeon.im?x=1",
        "http://10.0.0.1",
    ],
)
def test_add_refuses_a_base_url_off_the_providers_api_host(url):
    with pytest.raises(CommandError, match="not|cannot|no query"):
        run("add", "gedeon", "--name", "parc", "--key", "SECRETKEY123", "--base-url", url)
    assert not Feed.objects.exists()


def test_add_accepts_the_official_host_and_hosts_the_operator_allows(settings):
    run("add", "gedeon", "--name", "official", "--key", "k")
    assert Feed.objects.get(name="official").base_url == "https://api.gedeon.im"
    settings.FEEDS_EXTRA_ALLOWED_HOSTS = ["gedeon-proxy.example:8443"]
    url = "https://gedeon-proxy.example:8443/v1"
    run("add", "gedeon", "--name", "proxied", "--key", "k", "--base-url", url)
    assert Feed.objects.get(name="proxied").base_url == url
    with pytest.raises(CommandError):  # https only for a host given without a scheme
        run("add", "gedeon", "--name", "plain", "--key", "k", "--base-url", url.replace("s:", ":"))


@responses.activate
def test_sync_progress_redraws_one_line_instead_of_printing_one_per_page():
    run("add", "gedeon", "--name", "parc", "--key", "k", "--base-url", BASE)
    responses.get(f"{BASE}/agencies", json=envelope([]))
    for start in (1, 101, 201):
        responses.get(
            f"{BASE}/ads", json=envelope([ad(i) for i in range(start, start + 100)], total=300)
        )
    out, _ = run("sync", "parc")
    assert "\r" in out  # tqdm's redraws
    assert out.count("\n") == 1  # only the summary ends a line
    assert "300 created" in out
