"""The quality budgets of `make audit`, and the judge that holds a results dict to them.

Pure functions only: `scripts/audit/run.py` measures, these decide. A results dict:

    {"pages": {"home": {"url": "...",
                        "lighthouse": {"scores": {"performance": 98, "accessibility": 100, ...},
                                       "performance_runs": [97, 98, 99],
                                       "failing": {"accessibility": ["color-contrast"]}},
                        "axe": {"mobile": {"violations": [{"id": ..., "impact": ..., "nodes": 2,
                                                           "help": ..., "targets": [...]}]},
                                "desktop": {"error": "..."}},
                        "nu": {"errors": [{"line": 3, "column": 5, "message": "..."}]}},
               ...},
     "weight": {"page": "search", "bytes": 41234, "resources": [{"url", "type", "bytes"}]}}

Anything that was not measured (a tool failed, a page or a score is missing) is a miss too:
a gate that cannot see must not pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Lighthouse category scores (0-100), mobile preset.
SCORE_BUDGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Search page: HTML + CSS + JS + fonts as transferred (compressed), images left out.
WEIGHT_BUDGET_BYTES = 60_000
WEIGHT_PAGE = "search"
# Columns of the table, in order.
SHORT = {"performance": "perf", "accessibility": "a11y", "best-practices": "bp", "seo": "seo"}


@dataclass(frozen=True)
class Miss:
    page: str
    check: str
    measured: str
    budget: str
    detail: str = ""

    def __str__(self) -> str:
        text = f"{self.page}: {self.check} {self.measured} (budget {self.budget})"
        return f"{text} — {self.detail}" if self.detail else text


def axe_violations(page: dict[str, Any]) -> list[dict[str, Any]] | None:
    """Every viewport's violations, each tagged with its viewport; None if a run failed."""
    runs = page.get("axe")
    if not runs:
        return None
    found = []
    for viewport, run in runs.items():
        if "violations" not in run:
            return None
        found += [{**violation, "viewport": viewport} for violation in run["violations"]]
    return found


def nu_errors(page: dict[str, Any]) -> list[dict[str, Any]] | None:
    nu = page.get("nu")
    if not nu or "errors" not in nu:
        return None
    return nu["errors"]


def judge(results: dict[str, Any], expected_pages: list[str]) -> list[Miss]:
    """Every budget the results miss (an empty list: the gate passes)."""
    misses: list[Miss] = []
    pages = results.get("pages") or {}
    for name in expected_pages:
        page = pages.get(name)
        if page is None:
            misses.append(Miss(name, "page", "not audited", "audited"))
            continue
        misses += _judge_lighthouse(name, page)
        violations = axe_violations(page)
        if violations is None:
            misses.append(Miss(name, "axe", "not measured", "0 violations", _errors(page, "axe")))
        elif violations:
            detail = "; ".join(
                f"{v['id']} ({v.get('impact')}, {v.get('nodes')} nodes, {v['viewport']})"
                for v in violations
            )
            misses.append(Miss(name, "axe", f"{len(violations)} violations", "0", detail))
        errors = nu_errors(page)
        if errors is None:
            misses.append(Miss(name, "Nu", "not measured", "0 errors", _errors(page, "nu")))
        elif errors:
            detail = "; ".join(
                f"{e.get('line')}:{e.get('column')} {e.get('message')}" for e in errors[:5]
            )
            misses.append(Miss(name, "Nu", f"{len(errors)} errors", "0", detail))
    misses += _judge_weight(results.get("weight"))
    return misses


def _judge_lighthouse(name: str, page: dict[str, Any]) -> list[Miss]:
    lighthouse = page.get("lighthouse") or {}
    scores = lighthouse.get("scores") or {}
    failing = lighthouse.get("failing") or {}
    misses = []
    for category, budget in SCORE_BUDGETS.items():
        score = scores.get(category)
        detail = " ".join(failing.get(category, []))
        if score is None:
            error = lighthouse.get("error", "")
            misses.append(Miss(name, category, "not measured", f">= {budget}", error or detail))
        elif score < budget:
            misses.append(Miss(name, category, str(score), f">= {budget}", detail))
    return misses


def _judge_weight(weight: dict[str, Any] | None) -> list[Miss]:
    if not weight or weight.get("bytes") is None:
        return [Miss(WEIGHT_PAGE, "weight", "not measured", f"< {WEIGHT_BUDGET_BYTES} bytes")]
    if weight["bytes"] < WEIGHT_BUDGET_BYTES:
        return []
    heaviest = sorted(weight.get("resources", []), key=lambda r: -r["bytes"])[:3]
    detail = "; ".join(f"{r['bytes']} B {r['type']} {r['url']}" for r in heaviest)
    return [
        Miss(
            weight.get("page", WEIGHT_PAGE),
            "weight",
            f"{weight['bytes']} bytes",
            f"< {WEIGHT_BUDGET_BYTES} bytes",
            detail,
        )
    ]


def _errors(page: dict[str, Any], tool: str) -> str:
    data = page.get(tool) or {}
    if "error" in data:
        return str(data["error"])
    return "; ".join(
        str(run["error"]) for run in data.values() if isinstance(run, dict) and "error" in run
    )


def table(results: dict[str, Any], misses: list[Miss], expected_pages: list[str]) -> str:
    """The per-page table, budgets missed marked with `!`, then each miss explained."""
    missed = {(m.page, m.check) for m in misses}
    header = (
        f"{'page':<22}" + "".join(f"{SHORT[c]:>7}" for c in SCORE_BUDGETS) + f"{'axe':>6}{'Nu':>6}"
    )
    lines = [header, "-" * len(header)]
    pages = results.get("pages") or {}
    for name in expected_pages:
        page = pages.get(name) or {}
        scores = (page.get("lighthouse") or {}).get("scores") or {}
        row = f"{name:<22}"
        for category in SCORE_BUDGETS:
            value = scores.get(category)
            row += _cell(value, (name, category) in missed, 7)
        violations, errors = axe_violations(page), nu_errors(page)
        row += _cell(None if violations is None else len(violations), (name, "axe") in missed, 6)
        row += _cell(None if errors is None else len(errors), (name, "Nu") in missed, 6)
        lines.append(row)
    lines.append(
        "budgets: "
        + ", ".join(f"{SHORT[c]} >= {b}" for c, b in SCORE_BUDGETS.items())
        + ", axe 0, Nu 0"
    )
    weight = results.get("weight") or {}
    measured = weight.get("bytes")
    lines.append(
        f"{WEIGHT_PAGE} page weight (HTML+CSS+JS, compressed, images excluded): "
        + ("not measured" if measured is None else f"{measured} bytes")
        + f" (budget < {WEIGHT_BUDGET_BYTES})"
        + (" !" if (WEIGHT_PAGE, "weight") in missed else "")
    )
    if misses:
        lines.append(f"\n{len(misses)} budget(s) missed:")
        lines += [f"  ! {miss}" for miss in misses]
    return "\n".join(lines)


def _cell(value: Any, miss: bool, width: int) -> str:
    text = "n/a" if value is None else str(value)
    return f"{text + ('!' if miss else ' '):>{width}}"
