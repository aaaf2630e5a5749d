"""A small local fake of the Apimo API, for the demo and the tests.

It serves GET /agencies, GET /agencies/{id}/properties (`limit` at most 200,
`offset`, `timestamp` = changed since, the `{total_items, timestamp, properties}`
envelope), GET /catalogs/{name}?culture=fr from the shipped snapshot, the
demo pictures, and POST /agencies/{id}/properties (a new property, listed from then
on: the seller page's creations); every call needs basic auth `provider:token`.

    python -m showcase.demo.fake_apimo --port 8766 --count 60
"""

from __future__ import annotations

import argparse
import base64
import json
import re
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from showcase.demo import apimo_data
from showcase.demo.fake_server import FakeServer, JsonHandler
from showcase.demo.photos import logo_png, photo_jpeg
from showcase.feeds.apimo.catalogs import SNAPSHOT

MAX_LIMIT = 200
PICTURE_PATH = re.compile(r"^/pictures/estate/\d+/(\d+)/(\d+)_\d+\.jpg$")


def updated_timestamp(item: dict[str, Any]) -> int:
    moment = datetime.strptime(item["updated_at"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    return int(moment.timestamp())


class FakeApimo(FakeServer):
    """A threaded fake Apimo server on 127.0.0.1; a context manager."""

    def __init__(
        self,
        properties: list[dict[str, Any]] | None = None,
        *,
        count: int = 60,
        provider: str = "demo-provider",
        token: str = "demo-token",
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.credentials = f"{provider}:{token}"
        # Statuses answered, one per call, before the properties list answers normally.
        self.faults: list[int] = []
        self.calls: list[str] = []
        # Answers to the next POSTs of a property, one per call: (status, created anyway),
        # the second for an answer lost after the property was created.
        self.post_faults: list[tuple[int, bool]] = []
        self.created: list[dict[str, Any]] = []
        super().__init__(self._handler(), host=host, port=port)
        self.agency = apimo_data.agency(base_url=self.url)
        self.properties = (
            properties
            if properties is not None
            else apimo_data.generate_properties(count, base_url=self.url)
        )

    def authorized(self, header: str | None) -> bool:
        expected = "Basic " + base64.b64encode(self.credentials.encode()).decode()
        return header == expected

    def route(self, path: str, query: dict[str, str]) -> tuple[int, Any]:
        if path == "/agencies":
            return 200, {"total_items": 1, "agencies": [self.agency]}
        match = re.fullmatch(r"/agencies/([^/]+)/properties", path)
        if match:
            if match.group(1) != str(self.agency["id"]):
                return 403, {"error": "You have no access to this agency"}
            return self.list_properties(query)
        match = re.fullmatch(r"/catalogs/([a-z_]+)", path)
        if match and match.group(1) in SNAPSHOT:
            culture = query.get("culture", "fr")
            return 200, [
                {"id": code, "culture": culture, "name": name, "name_plurial": name}
                for code, name in SNAPSHOT[match.group(1)].items()
            ]
        return 404, {"error": "Not found"}

    def list_properties(self, query: dict[str, str]) -> tuple[int, Any]:
        try:
            limit = min(int(query.get("limit", 100)), MAX_LIMIT)
            offset = max(int(query.get("offset", 0)), 0)
            since = int(query["timestamp"]) if query.get("timestamp") else None
        except ValueError:
            return 400, {"error": "limit, offset and timestamp must be integers"}
        matching = sorted(
            (p for p in self.properties if since is None or updated_timestamp(p) > since),
            key=lambda p: p["id"],
        )
        stamps = [updated_timestamp(p) for p in matching]
        return 200, {
            "total_items": len(matching),
            "timestamp": max(stamps) if stamps else None,
            "properties": matching[offset : offset + limit],
        }

    def create_property(self, agency_id: str, body: Any) -> tuple[int, Any]:
        """POST /agencies/{id}/properties: store the property as sent, with an id and dates."""
        if agency_id != str(self.agency["id"]):
            return 403, {"error": "You have no access to this agency"}
        if not isinstance(body, dict):
            return 400, {"error": "A JSON object is expected"}
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        new_id = max([int(p["id"]) for p in self.properties] + [900000]) + 1
        item = {**body, "id": new_id, "agency": self.agency["id"]}
        item.update(created_at=stamp, updated_at=stamp)
        self.properties.append(item)
        self.created.append(item)
        return 200, {"id": str(new_id), "created_at": stamp, "updated_at": stamp}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                picture = PICTURE_PATH.match(parts.path)
                if picture:
                    body = photo_jpeg(int(picture.group(1)), int(picture.group(2)), "large3")
                    return self._send(200, body, "image/jpeg")
                if parts.path.startswith("/logos/"):
                    return self._send(200, logo_png(parts.path.rsplit("/", 1)[-1]), "image/png")
                if not fake.authorized(self.headers.get("Authorization")):
                    return self._json(401, {"error": "Invalid provider or token"})
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                fake.calls.append(self.path)
                if fake.faults and parts.path.endswith("/properties"):
                    return self._json(fake.faults.pop(0), {"error": "Too many requests"})
                self._json(*fake.route(parts.path.rstrip("/"), query))

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if not fake.authorized(self.headers.get("Authorization")):
                    return self._json(401, {"error": "Invalid provider or token"})
                fake.calls.append("POST " + self.path)
                match = re.fullmatch(r"/agencies/([^/]+)/properties/?", urlsplit(self.path).path)
                if not match:
                    return self._json(404, {"error": "Not found"})
                try:
                    body = json.loads(raw or b"null")
                except ValueError:
                    return self._json(400, {"error": "Invalid JSON"})
                if fake.post_faults:
                    status, created = fake.post_faults.pop(0)
                    if created:
                        fake.create_property(match.group(1), body)
                    return self._json(status, {"error": "Internal error"})
                self._json(*fake.create_property(match.group(1), body))

        return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Apimo API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--count", type=int, default=60)
    parser.add_argument("--provider", default="demo-provider")
    parser.add_argument("--token", default="demo-token")
    args = parser.parse_args(argv)
    server = FakeApimo(count=args.count, provider=args.provider, token=args.token, port=args.port)
    server.run_until_interrupted(
        f"Fake Apimo API on {server.url} ({len(server.properties)} properties)"
    )


if __name__ == "__main__":
    main()
