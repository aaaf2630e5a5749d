"""A small local fake of the Gedeon API, for the demo, the tests and the benchmarks.

It serves /ads, /ads/{id}, /agencies, /agencies/{id} with the documented envelope,
pagination (limit at most 100), the key check, the sold-listings rule and
`priceInfo` only on request, `sort=ad_id asc` (any other order, or none, serves the
ads as stored), plus the demo photos for each size word. Faults can be injected:
failing pages, an inconsistent total, slow pages, and a hook run after each /ads page
(to change the list between two pages, as a live upstream does).

    python -m showcase.demo.fake_gedeon --port 8765 --count 320 --key demo-key
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from showcase.demo import gedeon_data
from showcase.demo.fake_server import FakeServer, JsonHandler
from showcase.demo.photos import logo_png, photo_jpeg

MAX_LIMIT = 100
HOLD_IN_MEMORY_UP_TO = 2_000
WORD_TO_CODE = {
    "sell": "S",
    "rent": "R",
    "holidays": "H",
    "viager": "L",
    "l": "L",
    "program": "P",
    "sold": "O",
}
PHOTO_PATH = re.compile(r"^/photos/(\d+)/(\d+)/(thumb|medium|large2|large3|large)/\d+(\.jpg)?$")


class FakeGedeon(FakeServer):
    """A threaded fake Gedeon server on 127.0.0.1; a context manager."""

    def __init__(
        self,
        ads: list[dict[str, Any]] | None = None,
        agencies: list[dict[str, Any]] | None = None,
        *,
        count: int = 320,
        seed: int = 0,
        key: str = "demo-key",
        host: str = "127.0.0.1",
        port: int = 0,
        fail_offsets: set[int] | None = None,
        extra_total: int = 0,
        cache_pages: bool = False,
        page_delay: float = 0.0,
        after_page: Callable[[FakeGedeon, int], None] | None = None,
    ) -> None:
        self.key = key
        # Seconds each /ads page takes (a slow upstream), and a hook called with the
        # offset of each /ads page served, after it is built.
        self.page_delay = page_delay
        self.after_page = after_page
        # Encoded /ads pages kept after the first request (benchmarks: a re-sync then
        # measures the client, not this generator). Costs ~3.5 KB per ad of memory.
        self.page_cache: dict[str, bytes] | None = {} if cache_pages else None
        self.seed = seed
        self.fail_offsets = set(fail_offsets or ())
        self.extra_total = extra_total
        self._ads = ads
        self._count = count
        super().__init__(self._handler(), host=host, port=port)
        self.agencies = (
            agencies if agencies is not None else gedeon_data.agencies(base_url=self.url)
        )
        # A demo-sized feed is generated once and held; a benchmark-sized one (tens of
        # thousands) is generated page by page from the seed, so memory stays flat.
        self._held: list[dict[str, Any]] | None = None
        if ads is None and count <= HOLD_IN_MEMORY_UP_TO:
            self._held = list(gedeon_data.generate_ads(count, seed=seed, base_url=self.url))

    @property
    def count(self) -> int:
        # Given ads may be changed while the server runs (a live upstream).
        return len(self._ads) if self._ads is not None else self._count

    @property
    def ads(self) -> list[dict[str, Any]]:
        """The given ads (a mutable list: changing it changes the upstream)."""
        if self._ads is None:
            raise ValueError("this fake generates its ads; it holds no list to change")
        return self._ads

    def ad_at(self, index: int) -> dict[str, Any]:
        if self._ads is not None:
            return self._ads[index]
        if self._held is not None:
            return self._held[index]
        return gedeon_data.generate_ad(index, seed=self.seed, base_url=self.url)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(JsonHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                path = parts.path.rstrip("/")
                photo = PHOTO_PATH.match(parts.path)
                if photo:
                    body = photo_jpeg(int(photo.group(1)), int(photo.group(2)), photo.group(3))
                    return self._send(200, body, "image/jpeg", cache=True)
                if path.startswith("/photos/"):
                    # Photos need no key upstream either: an unknown size is simply absent.
                    return self._json(404, {"error": {"message": "No such photo"}})
                if path.startswith("/logos/"):
                    return self._send(
                        200, logo_png(path.rsplit("/", 1)[-1]), "image/png", cache=True
                    )
                if query.get("key") != fake.key:
                    return self._json(403, {"error": {"message": "Invalid API key"}})
                routes: dict[str, Callable[[dict[str, str]], tuple[int, Any]]] = {
                    "/ads": fake.list_ads,
                    "/agencies": fake.list_agencies,
                }
                if path == "/ads" and fake.page_cache is not None:
                    cached = fake.page_cache.get(parts.query)
                    if cached is None:
                        status, payload = fake.list_ads(query)
                        if status != 200:
                            return self._json(status, payload)
                        cached = fake.page_cache[parts.query] = json.dumps(
                            payload, ensure_ascii=False
                        ).encode()
                    return self._send(200, cached, "application/json; charset=utf-8")
                if path in routes:
                    return self._json(*routes[path](query))
                match = re.fullmatch(r"/(ads|agencies)/([^/]+)", path)
                if match:
                    return self._json(*fake.one(match.group(1), match.group(2), query))
                return self._json(404, {"error": {"message": "Not found"}})

        return Handler

    def _paging(self, query: dict[str, str]) -> tuple[int, int] | tuple[int, dict[str, Any]]:
        try:
            limit = min(int(query.get("limit", MAX_LIMIT)), MAX_LIMIT)
            offset = max(int(query.get("offset", 0)), 0)
        except ValueError:
            return 400, {"error": {"message": "limit and offset must be integers"}}
        return limit, offset

    def list_ads(self, query: dict[str, str]) -> tuple[int, Any]:
        paging = self._paging(query)
        if isinstance(paging[1], dict):
            return paging
        limit, offset = paging
        if offset in self.fail_offsets:
            return 500, {"error": {"message": "Internal error"}}
        if self.page_delay:
            time.sleep(self.page_delay)
        status, body = self._ads_page(query, limit, offset)
        if self.after_page is not None:
            self.after_page(self, offset)
        return status, body

    def _ads_page(self, query: dict[str, str], limit: int, offset: int) -> tuple[int, Any]:
        # Generated ads already come in id order; a given list is sorted when asked.
        ordered = query.get("sort", "").strip().lower() == "ad_id asc" and self._ads is not None
        stored = sorted(self._ads or [], key=_ad_key) if ordered else None

        def at(index: int) -> dict[str, Any]:
            return stored[index] if stored is not None else self.ad_at(index)

        words = [w.strip().lower() for w in query.get("transaction", "").split(",") if w.strip()]
        wanted = {WORD_TO_CODE[w] for w in words if w in WORD_TO_CODE} or set("SRHLP")
        excluded = query.get("exclude_transactions", "").lower().split(",")
        wanted -= {WORD_TO_CODE[w.strip()] for w in excluded if w.strip() in WORD_TO_CODE}
        with_info = "priceInfo" in query
        if wanted >= set("SRHLPO"):
            # Every transaction: index the sequence directly (cheap at any size).
            total = self.count
            page = [at(i) for i in range(offset, min(offset + limit, total))]
        else:
            matching = [i for i in range(self.count) if at(i)["transaction_code"] in wanted]
            total = len(matching)
            page = [at(i) for i in matching[offset : offset + limit]]
        if not with_info:
            page = [{k: v for k, v in ad.items() if k != "priceInfo"} for ad in page]
        return 200, {
            "results": page,
            "nb_results": len(page),
            "total_results": total + self.extra_total,
        }

    def list_agencies(self, query: dict[str, str]) -> tuple[int, Any]:
        paging = self._paging(query)
        if isinstance(paging[1], dict):
            return paging
        limit, offset = paging
        page = self.agencies[offset : offset + limit]
        return 200, {"results": page, "nb_results": len(page), "total_results": len(self.agencies)}

    def one(self, kind: str, ident: str, query: dict[str, str]) -> tuple[int, Any]:
        if kind == "agencies":
            for agency in self.agencies:
                if agency["id"] == ident:
                    return 200, agency
            return 404, {"error": {"message": "Agency not found"}}
        try:
            index = (
                int(ident) - gedeon_data.FIRST_AD_ID
                if self._ads is None
                else next(i for i, ad in enumerate(self._ads) if str(ad["id"]) == ident)
            )
        except (ValueError, StopIteration):
            return 404, {"error": {"message": "Ad not found"}}
        if not 0 <= index < self.count:
            return 404, {"error": {"message": "Ad not found"}}
        ad = self.ad_at(index)
        if "priceInfo" not in query:
            ad = {k: v for k, v in ad.items() if k != "priceInfo"}
        return 200, ad


def _ad_key(ad: dict[str, Any]) -> tuple[int, str]:
    ident = str(ad.get("id"))
    return (int(ident), "") if ident.isdigit() else (1 << 62, ident)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a fake Gedeon API on 127.0.0.1.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--count", type=int, default=320)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--key", default="demo-key")
    parser.add_argument(
        "--cache-pages", action="store_true", help="Keep encoded /ads pages after first use."
    )
    args = parser.parse_args(argv)
    server = FakeGedeon(
        count=args.count,
        seed=args.seed,
        key=args.key,
        port=args.port,
        cache_pages=args.cache_pages,
    )
    server.run_until_interrupted(
        f"Fake Gedeon API on {server.url} ({server.count} ads, key {args.key!r})"
    )


if __name__ == "__main__":
    main()
