"""The manifest's text: written faster than json's pure-Python indenting, and the same characters."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.jsontext import indented

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4)
                      | st.dictionaries(st.integers() | st.booleans() | st.none() | st.floats(), inner, max_size=3), max_leaves=30)


@settings(max_examples=400, deadline=None)
@given(VALUES, st.integers(min_value=0, max_value=4))
def test_the_text_is_json_own_indented_text(value: Any, indent: int) -> None:
    assert indented(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_a_manifest_body_with_nested_records_and_newlines_in_titles() -> None:
    entry = {"path": "default/a.en.standard.pdf", "pages": 2, "reading_grade": 6.25, "title": "Line\nbreak “quoted” é", "stale": True}
    body = {"generator": "handouts", "build": {"shard": "1/1", "jobs": ["a", "b"], "empty": [], "none": {}},
            "handouts": [entry, dict(entry, path="b")], "copies": []}
    assert indented(body) == json.dumps(body, indent=2, ensure_ascii=False)


RECORDS = st.lists(st.dictionaries(st.text(max_size=6), SCALARS, min_size=1, max_size=5), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(RECORDS, st.integers(min_value=0, max_value=4), st.integers(min_value=0, max_value=3))
def test_lists_of_records_nested_at_any_depth_are_json_own_text(records: list[dict[str, Any]], indent: int, depth: int) -> None:
    value: Any = records
    for _ in range(depth):
        value = {"handouts": value, "copies": [records[0]]}
    assert indented(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)
