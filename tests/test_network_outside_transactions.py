"""No transaction is held across network I/O, and SQLite waits instead of failing.

The mail side is in tests/outbox/test_outbox.py (requests never talk SMTP; sending commands
hold no transaction during the conversation). Here: the energy labels fetched from
dpe.gedeon.im on the request path, and the SQLite set-up that lets a page view, a lead
post and a sync share the database.
"""

from __future__ import annotations

import pytest
import responses
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import DatabaseWrapper

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><text>D</text></svg>'


@pytest.mark.django_db(transaction=True)
@responses.activate
def test_energy_labels_are_fetched_outside_any_transaction(client):
    seen: list[bool] = []

    def answer(request):  # type: ignore[no-untyped-def]
        seen.append(connection.in_atomic_block)
        return 200, {"Content-Type": "image/svg+xml"}, SVG

    responses.add_callback(responses.GET, "https://dpe.gedeon.im/sticker", callback=answer)
    response = client.get("/etiquette-energie/sticker.svg?dpe=212&ges=35&date=2023-03-14")
    assert response.status_code == 200 and response.content == SVG
    assert seen == [False]


def test_requests_are_not_wrapped_in_a_transaction():
    # ATOMIC_REQUESTS would hold a write transaction across every view's network calls.
    assert not settings.DATABASES["default"].get("ATOMIC_REQUESTS", False)


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path, django_db_blocker):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite set-up only")
    database = DatabaseWrapper(
        {**connection.settings_dict, "NAME": str(tmp_path / "wal.sqlite3")}, alias="wal-check"
    )
    try:
        with django_db_blocker.unblock(), database.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000  # milliseconds
    finally:
        database.close()
