from __future__ import annotations

from io import StringIO
from unittest import mock

import pytest
import responses
from django.core.management import call_command
from django.core.management.base import CommandError

from showcase.feeds.models import Feed
from showcase.listings.models import Listing
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
        run("add", "gedeon", "--name", "other", "--key", "k", "--base-url", "ftp://x")
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


def test_remove_deletes_the_feed_and_refuses_unknown_names():
    run("add", "gedeon", "--name", "parc", "--key", "k")
    out, _ = run("remove", "parc")
    assert "Removed" in out and not Feed.objects.exists()
    with pytest.raises(CommandError, match="Unknown feed 'parc'"):
        run("remove", "parc")


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
