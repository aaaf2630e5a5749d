"""`make audit`'s judge: the budgets hold, and anything missing or unmeasured fails the gate."""

from __future__ import annotations

import copy

from scripts.audit.budget import WEIGHT_BUDGET_BYTES, judge, table
from scripts.audit.run import lighthouse_summary, nu_errors_by_page, page_weight

PAGES = ["home", "search"]


def passing_page() -> dict:
    return {
        "url": "http://127.0.0.1:8000/",
        "lighthouse": {
            "scores": {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100},
            "failing": {},
        },
        "axe": {"mobile": {"violations": []}, "desktop": {"violations": []}},
        "nu": {"errors": []},
    }


def passing_results() -> dict:
    return {
        "pages": {name: passing_page() for name in PAGES},
        "weight": {"page": "search", "bytes": WEIGHT_BUDGET_BYTES - 1, "resources": []},
    }


def checks(misses) -> set[tuple[str, str]]:
    return {(miss.page, miss.check) for miss in misses}


def test_results_exactly_on_every_budget_pass():
    results = passing_results()
    assert judge(results, PAGES) == []
    assert "budget(s) missed" not in table(results, [], PAGES)


def test_performance_below_95_fails_and_names_the_costly_audits():
    results = passing_results()
    results["pages"]["search"]["lighthouse"]["scores"]["performance"] = 94
    results["pages"]["search"]["lighthouse"]["failing"] = {
        "performance": ["total-blocking-time", "largest-contentful-paint"]
    }
    misses = judge(results, PAGES)
    assert checks(misses) == {("search", "performance")}
    assert misses[0].measured == "94"
    assert "total-blocking-time largest-contentful-paint" in str(misses[0])


def test_accessibility_best_practices_and_seo_must_be_100():
    for category in ("accessibility", "best-practices", "seo"):
        results = passing_results()
        results["pages"]["home"]["lighthouse"]["scores"][category] = 99
        assert checks(judge(results, PAGES)) == {("home", category)}


def test_one_axe_violation_on_one_viewport_fails():
    results = passing_results()
    results["pages"]["home"]["axe"]["desktop"]["violations"] = [
        {"id": "color-contrast", "impact": "serious", "nodes": 2, "help": "...", "targets": []}
    ]
    misses = judge(results, PAGES)
    assert checks(misses) == {("home", "axe")}
    assert "color-contrast (serious, 2 nodes, desktop)" in misses[0].detail


def test_one_nu_error_fails_with_its_position():
    results = passing_results()
    results["pages"]["search"]["nu"]["errors"] = [
        {"line": 12, "column": 3, "message": "Stray end tag “div”."}
    ]
    misses = judge(results, PAGES)
    assert checks(misses) == {("search", "Nu")}
    assert "12:3 Stray end tag" in misses[0].detail


def test_search_page_at_the_weight_budget_fails_and_names_the_heaviest_files():
    results = passing_results()
    results["weight"]["bytes"] = WEIGHT_BUDGET_BYTES
    results["weight"]["resources"] = [
        {"url": "/static/app.js", "type": "Script", "bytes": 50_000},
        {"url": "/annonces/", "type": "Document", "bytes": 10_000},
    ]
    misses = judge(results, PAGES)
    assert checks(misses) == {("search", "weight")}
    assert misses[0].detail.startswith("50000 B Script /static/app.js")


def test_what_was_not_measured_fails():
    results = passing_results()
    del results["pages"]["search"]
    results["pages"]["home"]["lighthouse"] = {"error": "lighthouse timed out"}
    results["pages"]["home"]["axe"]["mobile"] = {"error": "Navigation timeout"}
    results["pages"]["home"]["nu"] = {"error": "vnu failed"}
    del results["weight"]
    misses = judge(results, PAGES)
    assert checks(misses) == {
        ("search", "page"),
        ("home", "performance"),
        ("home", "accessibility"),
        ("home", "best-practices"),
        ("home", "seo"),
        ("home", "axe"),
        ("home", "Nu"),
        ("search", "weight"),
    }
    assert all(m.measured == "not measured" for m in misses if m.check != "page")
    assert any("lighthouse timed out" in str(m) for m in misses)
    assert any("Navigation timeout" in str(m) for m in misses)


def test_a_null_score_from_lighthouse_fails():
    results = passing_results()
    results["pages"]["home"]["lighthouse"]["scores"]["performance"] = None
    assert checks(judge(results, PAGES)) == {("home", "performance")}


def test_table_marks_each_miss():
    results = passing_results()
    results["pages"]["search"]["lighthouse"]["scores"]["seo"] = 92
    results["weight"]["bytes"] = 70_000
    misses = judge(results, PAGES)
    text = table(results, misses, PAGES)
    search_row = next(line for line in text.splitlines() if line.startswith("search "))
    assert "92!" in search_row
    assert "70000 bytes (budget < 60000) !" in text
    assert "2 budget(s) missed" in text


def lighthouse_report(performance: float | None) -> dict:
    return {
        "categories": {
            "performance": {
                "score": performance,
                "auditRefs": [
                    {"id": "total-blocking-time", "weight": 30},
                    {"id": "network-requests", "weight": 0},
                ],
            },
            "seo": {"score": 1, "auditRefs": [{"id": "document-title", "weight": 1}]},
        },
        "audits": {
            "total-blocking-time": {"score": 0.6},
            "network-requests": {
                "score": None,
                "details": {
                    "items": [
                        {"url": "/annonces/", "resourceType": "Document", "transferSize": 9000},
                        {"url": "/s.css", "resourceType": "Stylesheet", "transferSize": 3000},
                        {"url": "/a.js", "resourceType": "Script", "transferSize": 1000},
                        {"url": "/p.jpg", "resourceType": "Image", "transferSize": 80000},
                        {"url": "/cached.js", "resourceType": "Script", "transferSize": 0},
                    ]
                },
            },
            "document-title": {"score": 1},
        },
    }


def test_lighthouse_summary_turns_scores_into_percent_and_lists_costly_audits():
    summary = lighthouse_summary(lighthouse_report(0.934))
    assert summary["scores"] == {"performance": 93, "seo": 100}
    assert summary["failing"] == {"performance": ["total-blocking-time"], "seo": []}
    assert lighthouse_summary(lighthouse_report(None))["scores"]["performance"] is None


def test_page_weight_counts_html_css_js_and_leaves_images_out():
    weight = page_weight(lighthouse_report(1), "search")
    assert weight["bytes"] == 13_000
    assert [r["url"] for r in weight["resources"]] == ["/annonces/", "/s.css", "/a.js"]


def test_nu_messages_grouped_by_page_errors_only():
    pages = {"home.html": "home", "search.html": "search"}
    messages = [
        {
            "type": "error",
            "url": "file:/tmp/vitrine-audit-x/search.html",
            "lastLine": 4,
            "firstColumn": 2,
            "message": " Duplicate ID “x”. ",
        },
        {
            "type": "info",
            "subType": "warning",
            "url": "file:/tmp/vitrine-audit-x/home.html",
            "message": "w",
        },
    ]
    found = nu_errors_by_page(messages, pages)
    assert found == {
        "home": {"errors": []},
        "search": {"errors": [{"line": 4, "column": 2, "message": "Duplicate ID “x”."}]},
    }
    broken = copy.deepcopy(messages) + [{"type": "non-document-error", "message": "I/O error"}]
    assert all("error" in result for result in nu_errors_by_page(broken, pages).values())
