"""Every shipped handout in every layout, as `build` writes it: a valid PDF within its page budget, in a language
written left to right and one written right to left (check's proof renders every language in every layout; this is
`build`'s own path through them: the manifest, the files, the card notices).

The instructions (pre-treatment and aftercare) have card sections and print as cards; an overview has none, and a
build that asks for cards skips it with a notice.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from handouts.jobs import plan
from handouts.content import load_catalogue
from handouts.layouts import LAYOUTS

from conftest import CONTENT, qpdf_check

pytestmark = pytest.mark.skipif(not (CONTENT / "brands").is_dir(), reason="no shipped content/ in this checkout")


def test_every_layout_of_every_shipped_handout_builds_within_its_budget(run, tmp_path: Path) -> None:
    catalogue = load_catalogue(CONTENT)
    assert catalogue.handouts, "content/ holds handouts"
    for treatment in catalogue.treatments.values():
        kinds = {kind for kind, _ in treatment.handouts}
        assert {(kind, lang) for kind in kinds for lang in ("en", "es")} <= set(treatment.handouts), f"{treatment.slug}: en and es"
    out = tmp_path / "out"
    result = run("build", "--content", CONTENT, "--out", out, "--jobs", "2", "--lang", "en", "--lang", "ar",
                 *[a for name in sorted(LAYOUTS) for a in ("--layout", name)])
    built = {entry["path"]: entry for entry in json.loads((out / "manifest.json").read_text())["handouts"]}
    everything = plan(catalogue, layout_names=sorted(LAYOUTS))
    assert {job.language for job in everything} == {"en", "es", "vi", "zh-Hans", "ko", "ar"} and {job.layout for job in everything} == set(LAYOUTS)
    jobs = [job for job in everything if job.language in ("en", "ar")]
    over_budget = []
    for job in jobs:
        handout = catalogue.treatments[job.treatment].handouts[(job.kind, job.language)]
        limit = LAYOUTS[job.layout].page_limit(handout)
        entry = built.get(job.output)
        if entry is None:
            # Only a handout without a card section (an overview) is skipped in the card layout, with a notice.
            assert job.layout == "card" and handout.card_blocks is None, f"{job.output} was not built: {result.err}"
            assert (f"{handout.display}: notice: skipped in card: it has no card: section (a card: section to print it as a card)"
                    in result.err.splitlines())
            over_budget.append(job.output)
            continue
        pdf = out / job.output
        qpdf_check(pdf)
        pages = len(PdfReader(pdf).pages)
        assert entry["pages"] == pages and entry["layout"] == job.layout
        assert limit is None or pages <= limit, f"{job.output}: {pages} pages, limit {limit}"
    assert result.code == 0, result.err
    assert all(": notice: skipped in card" in line or ": warning: " in line for line in result.err.splitlines()), result.err
    assert len(built) + len(over_budget) == len(jobs)
    cards = {job.output for job in jobs if job.layout == "card" and job.kind in ("pre-treatment", "aftercare")}
    assert cards and cards <= set(built), "the instructions print as cards, from their card sections"
