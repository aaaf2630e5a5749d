"""A hostile upstream's numbers: JSON integers of hundreds of digits (json.loads reads them
as Python ints) are no number we keep, never an OverflowError that would stop the whole
sync of the feed at that record (#16, point 8, from the upstream's side)."""

from __future__ import annotations

import pytest

from showcase.feeds import coerce

HUGE = [10**400, -(10**400), 10**309]


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    "convert",
    [
        coerce.number,
        coerce.decimal,
        coerce.integer,
        coerce.positive_integer,
        coerce.room_count,
        coerce.surface,
        coerce.moment,
        coerce.day_of,
    ],
)
def test_a_huge_json_integer_is_no_number_rather_than_an_overflow(convert, value):
    assert convert(value) is None


def test_ordinary_numbers_still_read():
    assert coerce.number(12) == 12.0
    assert coerce.integer(10**15) == 10**15
    assert coerce.moment(1_700_000_000) is not None


@pytest.mark.parametrize("total", [float("inf"), 10**400, -5, "1e400"])
def test_an_absurd_announced_total_is_a_bad_answer_not_a_crash(total):
    from showcase.core.http import UpstreamBadResponse
    from showcase.feeds.records import RawPage

    with pytest.raises(UpstreamBadResponse):
        RawPage.from_envelope(
            {"results": [], "total_results": total},
            items="results",
            total="total_results",
            where="x",
        )


@pytest.mark.parametrize("value", ["²", "١٢٣", "9" * 5000, "9" * 60, 10**60])
def test_a_hostile_apimo_timestamp_is_no_cursor(value):
    from showcase.feeds.apimo.client import _timestamp

    assert _timestamp(value) is None


def test_an_ordinary_apimo_timestamp_is_the_cursor():
    from showcase.feeds.apimo.client import _timestamp

    assert _timestamp(1_700_000_000) == "1700000000"
    assert _timestamp(" 1700000000 ") == "1700000000"


def test_a_hostile_provider_step_is_no_step(monkeypatch):
    from types import SimpleNamespace

    from showcase.feeds.apimo import actions

    answer = {"providers": [{"provider": "p", "step": float("inf")}, {"provider": "q", "step": 2}]}
    monkeypatch.setattr(
        actions, "client_for", lambda listing: SimpleNamespace(property_providers=None)
    )
    monkeypatch.setattr(actions, "_call", lambda *args, **kwargs: answer)
    rows = actions.providers_list(listing=SimpleNamespace(upstream_id="1"))
    assert [(r.provider, r.step) for r in rows] == [("p", None), ("q", 2)]
