from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from showcase.demo.fake_gedeon import FakeGedeon
from showcase.demo.gedeon_data import generate_ads
from showcase.feeds.models import Feed
from showcase.listings.models import Listing


@pytest.mark.django_db
def test_a_page_failing_persistently_fails_the_sync_and_keeps_every_listing(settings):
    settings.FEEDS_HTTP_RETRIES = 1
    ads = list(generate_ads(150))
    with FakeGedeon(ads, key="k") as fake:
        call_command(
            "feeds",
            "add",
            "gedeon",
            "--name",
            "demo",
            "--key",
            "k",
            "--base-url",
            fake.url,
            stdout=io.StringIO(),
        )
        call_command("feeds", "sync", "demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert Listing.objects.filter(withdrawn_at__isnull=True).count() == 150

    with FakeGedeon(ads[:40], key="k", fail_offsets={0}) as broken:
        Feed.objects.filter(name="demo").update(base_url=broken.url)
        with pytest.raises(CommandError):
            call_command("feeds", "sync", "demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert Listing.objects.filter(withdrawn_at__isnull=True).count() == 150


@pytest.mark.django_db
def test_a_complete_pass_withdraws_the_ads_gone_upstream(settings):
    ads = list(generate_ads(120))
    with FakeGedeon(ads, key="k") as fake:
        call_command(
            "feeds",
            "add",
            "gedeon",
            "--name",
            "demo",
            "--key",
            "k",
            "--base-url",
            fake.url,
            stdout=io.StringIO(),
        )
        call_command("feeds", "sync", "demo", stdout=io.StringIO(), stderr=io.StringIO())
    with FakeGedeon(ads[:100], key="k") as shrunk:
        Feed.objects.filter(name="demo").update(base_url=shrunk.url)
        out = io.StringIO()
        call_command("feeds", "sync", "demo", stdout=out, stderr=io.StringIO())
    assert "20 withdrawn" in out.getvalue()
    assert Listing.objects.filter(withdrawn_at__isnull=True).count() == 100
    assert Listing.objects.count() == 120


@pytest.mark.django_db
def test_the_demo_command_explains_a_busy_upstream_port():
    with FakeGedeon(count=1) as other:
        port = int(other.url.rsplit(":", 1)[1])
        with pytest.raises(CommandError, match=str(port)):
            call_command("demo", "--no-serve", "--upstream-port", str(port), stdout=io.StringIO())
