"""The review-age warning comes on the day a review turns 24 months old, not a day earlier or later."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from handouts.content import load_catalogue
from handouts.lint import lint_review_dates


@pytest.mark.parametrize(("reviewed", "today", "warned"), [
    ("2024-11-01", "2026-10-31", False),  # a day short of 24 months
    ("2024-11-01", "2026-11-01", True),  # 24 months to the day
    ("2024-01-31", "2026-01-30", False),
    ("2024-01-31", "2026-01-31", True),
    ("2024-02-29", "2026-02-28", False),  # a review on a leap day turns 24 months old on 1 March
    ("2024-02-29", "2026-03-01", True),
])
def test_the_review_age_warning_starts_on_the_day_the_review_is_24_months_old(tree: Path, reviewed: str, today: str, warned: bool) -> None:
    for name in ("aftercare.en.yaml", "aftercare.es.yaml"):
        path = tree / "demo" / name
        path.write_text(path.read_text().replace('reviewed: "2026-11-01"', f'reviewed: "{reviewed}"'))
    problems = lint_review_dates(load_catalogue(tree), dt.date.fromisoformat(today))
    lines = [str(p) for p in problems if p.path.endswith("aftercare.en.yaml")]
    expected = [f"{tree}/demo/aftercare.en.yaml:7: warning: reviewed {reviewed}, 24 months ago (a clinical review at least every 24 months)"]
    assert lines == (expected if warned else [])
