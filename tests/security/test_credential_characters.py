"""A credential HTTP cannot carry (a character outside Latin-1 pasted into an Apimo token,
e.g. a zero-width space) never ends up in clear in a stored run, a log line or an error
(#16, point 7)."""

from __future__ import annotations

import logging

import pytest
import responses

from showcase.core.http import UpstreamError
from showcase.feeds.apimo.client import ApimoClient
from showcase.feeds.models import SyncRun
from showcase.feeds.sync import sync_feed
from tests.factories import make_apimo_feed

pytestmark = pytest.mark.django_db

TOKEN = "S3CRET-apimo-token-\u200b-0123456789"


@responses.activate
def test_a_token_http_cannot_carry_fails_the_call_without_quoting_it():
    feed = make_apimo_feed(token=TOKEN)
    with pytest.raises(UpstreamError) as caught:
        ApimoClient(feed).agency()
    assert "S3CRET" not in str(caught.value) and "S3CRET" not in repr(caught.value)
    assert len(responses.calls) == 0  # nothing sent


@responses.activate
def test_a_sync_with_such_a_token_stores_and_logs_no_part_of_it(caplog):
    feed = make_apimo_feed(token=TOKEN)
    with caplog.at_level(logging.DEBUG):
        run = sync_feed(feed)
    run = SyncRun.objects.get(pk=run.pk)
    assert run.status == "failed"
    assert "S3CRET" not in run.error
    assert "S3CRET" not in caplog.text
