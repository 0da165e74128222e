"""Property test: random handouts from the block grammar either build a sound PDF or fail with a clear message.

By default the "handouts" hypothesis profile runs 50 examples (a few seconds); the full count, 250, or more on demand:
    HANDOUTS_FUZZ_EXAMPLES=250 python -m pytest tests/blocks/test_fuzz.py
The test's timeout grows with the count.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings, strategies as st

from handouts.jobs import Job
from handouts.pdf import make_sheet, render_pdf
from handouts.content import load_catalogue
from handouts.errors import ContentError
from handouts.fonts import family

from conftest import FIXTURES, check_pdf

EXAMPLES = int(os.environ.get("HANDOUTS_FUZZ_EXAMPLES", "50"))
settings.register_profile("handouts", max_examples=EXAMPLES, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
_font = family()
COVERED = sorted(
    chr(cp) for cp in range(0x20, 0x2FFF)
    if _font.missing(chr(cp)) == [] and unicodedata.category(chr(cp))[0] in "LNPSZ"
    and unicodedata.bidirectional(chr(cp)) not in ("R", "AL") and chr(cp) not in "{}\\"
    and unicodedata.category(chr(cp)) not in ("Zl", "Zp", "Mn")
)
_MESSAGE = re.compile(r"^\S[^:]*(:\d+)?: .+")

words = st.text(alphabet=st.sampled_from(COVERED), min_size=1, max_size=40).map(lambda s: s.strip() or "x")
counter = iter(range(10**9))


def tagged(text: str) -> str:
    """Text with a unique ASCII marker, so its place in the PDF can be found."""
    return f"Mk{next(counter):06d} {text}"


# Pieces of content text: plain words, placeholders filled from settings and the brand, literal braces, inline markup.
plain_words = st.text(alphabet=st.sampled_from([c for c in COVERED if c not in "*[]()"]), min_size=1, max_size=20).map(lambda s: s.strip() or "x")
placeholder = st.sampled_from(["{settings.wait_hours}", "{settings.stop_days}", "{brand.name}", "{brand.phone}", "{{", "}}"])
markup = st.tuples(st.sampled_from(["**{}**", "*{}*", "[{}](https://example.org/a)", "[{}](tel:+15550100)", "***{}***"]),
                   plain_words).map(lambda v: v[0].format(v[1]))
phrase = st.lists(st.one_of(words, words, placeholder, markup), min_size=1, max_size=8).map(" ".join)
day = st.one_of(st.integers(-30, 60).map(str), st.tuples(st.integers(0, 10), st.integers(0, 20)).map(lambda v: f"{v[0]}-{v[0] + v[1]}"),
                st.sampled_from(["{settings.stop_days}", "1-{settings.stop_days}"]))


def texts(max_size: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(phrase.map(tagged), min_size=1, max_size=max_size)


def optional(strategy: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


def _callout(tone: str, title: str, text: str | None, items: list[str] | None) -> dict:
    body = {"tone": tone, "title": title, "text": text, "items": items or (None if text else [tagged("x")])}
    return {"callout": {k: v for k, v in body.items() if v is not None}}


def _dropping_none(mapping: dict) -> dict:
    return {k: v for k, v in mapping.items() if v is not None}


checklist_item = st.one_of(phrase.map(tagged), st.tuples(phrase, day).map(lambda v: {"text": tagged(v[0]), "days_before": v[1]}))
timeline_entry = st.tuples(day, optional(plain_words), phrase).map(
    lambda v: _dropping_none({"days": v[0], "label": tagged(v[1]) if v[1] else None, "text": tagged(v[2])}))

block = st.one_of(
    words.map(lambda t: {"heading": tagged(t)}),
    phrase.map(lambda t: {"paragraph": tagged(t)}),
    st.lists(phrase, min_size=1, max_size=30).map(lambda ps: {"paragraph": tagged(" ".join(ps))}),
    texts().map(lambda items: {"bullets": items}),
    texts().map(lambda items: {"steps": items}),
    st.lists(checklist_item, min_size=1, max_size=4).map(lambda items: {"checklist": items}),
    st.tuples(st.sampled_from(["info", "tip", "warning", "urgent"]), phrase.map(tagged), optional(phrase.map(tagged)),
              optional(texts())).map(lambda v: _callout(*v)),
    st.lists(timeline_entry, min_size=1, max_size=5).map(lambda entries: {"timeline": entries}),
    st.tuples(texts(), texts(), optional(plain_words), optional(plain_words)).map(lambda v: {"do_dont": _dropping_none(
        {"do_title": tagged(v[2]) if v[2] else None, "do": v[0], "dont_title": tagged(v[3]) if v[3] else None, "dont": v[1]})}),
    st.lists(st.tuples(phrase, phrase), min_size=1, max_size=3).map(lambda qs: {"faq": [{"q": tagged(q), "a": tagged(a)} for q, a in qs]}),
    st.tuples(phrase, texts(3)).map(lambda v: {"acknowledgement": {"text": tagged(v[0]), "lines": v[1]}}),
    plain_words.map(lambda t: {"contact": {"title": tagged(t)}}),
    plain_words.map(lambda t: {"appointment": {"title": tagged(t)}}),
    phrase.map(lambda t: {"image": {"file": "images/diagram.png", "alt": "A diagram", "caption": tagged(t), "width": "30%"}}),
    plain_words.map(lambda t: {"qr": {"url": "{brand.booking_url}", "caption": tagged(t)}}),
    st.builds(lambda: {"include": "snippets/call"}),  # a new dict each time: a shared one would be dumped as a YAML alias
)


def _markers(blocks: list[dict]) -> list[str]:
    return re.findall(r"Mk\d{6}", yaml.safe_dump(blocks, allow_unicode=True, width=10**6, sort_keys=False))


def _grouped(found: list[str], blocks: list[dict]) -> tuple[list[str], list[str]]:
    """Expected and found markers, with each do/don't block's markers as one token: its two columns
    may break across a page at different items, so only the block's place in the order is fixed."""
    group = {m: f"dd{i}" for i, b in enumerate(blocks) if "do_dont" in b for m in _markers([b])}
    collapse = lambda seq: [t for i, t in enumerate(group.get(m, m) for m in seq)  # noqa: E731
                            if i == 0 or t != group.get(seq[i - 1], seq[i - 1]) or not t.startswith("dd")]
    return collapse(_markers(blocks)), collapse(found)


@pytest.fixture(scope="module")
def fuzz_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the fixture tree; each example rewrites its handout (pictures and fonts stay cached)."""
    root = tmp_path_factory.mktemp("fuzz") / "content"
    shutil.copytree(FIXTURES / "tree", root)
    return root


@pytest.mark.timeout(max(120, EXAMPLES))  # an example takes about 0.1 s here: a second each leaves room on a busy machine
@settings(settings.get_profile("handouts"))
@given(st.lists(block, min_size=1, max_size=12))
def test_random_handouts_build_or_fail_clearly(fuzz_tree: Path, blocks: list[dict]) -> None:
    root = fuzz_tree
    handout = {"id": "fuzz", "treatment": "Fuzz", "kind": "aftercare", "title": "Fuzz", "language": "en", "version": "1",
               "reviewed": "2026-11-01", "reviewed_by": "Test", "max_pages": "20", "blocks": blocks}
    (root / "demo/aftercare.en.yaml").write_text(yaml.safe_dump(handout, allow_unicode=True, default_style='"', width=10**6, sort_keys=False), encoding="utf-8")
    catalogue = load_catalogue(root)
    if catalogue.problems:
        event("refused when loaded")
        assert all(_MESSAGE.match(str(p)) for p in catalogue.problems), catalogue.problems
        return
    try:
        rendered = render_pdf(make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", "standard")), "standard")
    except ContentError as exc:
        event("refused when rendered")
        assert exc.problems and all(_MESSAGE.match(str(p)) for p in exc.problems), exc.problems
        return
    event(f"built, {rendered.pages} page{'s' if rendered.pages > 1 else ''}")
    pdf = root.parent / "out.pdf"
    pdf.write_bytes(rendered.data)
    text = " ".join(check_pdf(pdf))  # qpdf --check, and pypdf strict without a warning
    found = re.findall(r"Mk\d{6}", text)
    assert sorted(found) == sorted(_markers(blocks))
    expected, seen = _grouped(found, blocks)
    assert seen == expected
