"""Property test: random handouts from the block grammar either build a sound PDF or fail with a clear message.

Run more examples on demand:  HANDOUTS_FUZZ_EXAMPLES=2000 python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from handouts.build import Job, make_sheet, render
from handouts.content import load_catalogue
from handouts.errors import ContentError
from handouts.fonts import family

from conftest import FIXTURES, qpdf_check

EXAMPLES = int(os.environ.get("HANDOUTS_FUZZ_EXAMPLES", "150"))
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


def texts(max_size: int = 4) -> st.SearchStrategy[list[str]]:
    return st.lists(words.map(tagged), min_size=1, max_size=max_size)


block = st.one_of(
    words.map(lambda t: {"heading": tagged(t)}),
    words.map(lambda t: {"paragraph": tagged(t)}),
    st.lists(words, min_size=1, max_size=30).map(lambda ws: {"paragraph": tagged(" ".join(ws))}),
    texts().map(lambda items: {"bullets": items}),
    texts().map(lambda items: {"steps": items}),
    texts().map(lambda items: {"checklist": items}),
    st.tuples(st.sampled_from(["info", "tip", "warning", "urgent"]), words, texts()).map(
        lambda v: {"callout": {"tone": v[0], "title": tagged(v[1]), "items": v[2]}}),
    st.lists(st.tuples(st.integers(0, 30), words), min_size=1, max_size=4).map(
        lambda es: {"timeline": [{"days": str(d), "text": tagged(t)} for d, t in es]}),
    st.tuples(texts(), texts()).map(lambda v: {"do_dont": {"do": v[0], "dont": v[1]}}),
    st.lists(st.tuples(words, words), min_size=1, max_size=3).map(lambda qs: {"faq": [{"q": tagged(q), "a": tagged(a)} for q, a in qs]}),
    words.map(lambda t: {"acknowledgement": {"text": tagged(t), "lines": ["Signature", "Date"]}}),
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


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(block, min_size=1, max_size=12))
def test_random_handouts_build_or_fail_clearly(tmp_path_factory: pytest.TempPathFactory, blocks: list[dict]) -> None:
    root = tmp_path_factory.mktemp("fuzz") / "content"
    import shutil

    shutil.copytree(FIXTURES / "tree", root)
    handout = {"id": "fuzz", "treatment": "Fuzz", "kind": "aftercare", "title": "Fuzz", "language": "en", "version": "1",
               "reviewed": "2026-11-01", "reviewed_by": "Test", "max_pages": "20", "blocks": blocks}
    (root / "demo/aftercare.en.yaml").write_text(yaml.safe_dump(handout, allow_unicode=True, default_style='"', width=10**6, sort_keys=False), encoding="utf-8")
    catalogue = load_catalogue(root)
    if catalogue.problems:
        assert all(_MESSAGE.match(str(p)) for p in catalogue.problems), catalogue.problems
        return
    try:
        rendered = render(make_sheet(catalogue, Job("plain", "demo", "aftercare", "en", "standard")), "standard")
    except ContentError as exc:
        assert exc.problems and all(_MESSAGE.match(str(p)) for p in exc.problems), exc.problems
        return
    pdf = root.parent / "out.pdf"
    pdf.write_bytes(rendered.data)
    qpdf_check(pdf)
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(pdf, strict=True).pages)
    found = re.findall(r"Mk\d{6}", text)
    assert sorted(found) == sorted(_markers(blocks))
    expected, seen = _grouped(found, blocks)
    assert seen == expected
