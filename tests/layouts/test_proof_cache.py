"""check keeps what the proof found, by each combination's fingerprint: a second check renders nothing it proved
before and says the same; an edit re-proves only the sheets made from the changed file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handouts import proof
from handouts.content import load_catalogue
from handouts.proof import proof_jobs

TRIFOLD = ("--layout", "trifold")  # one layout is enough to show the cache, and the e-mail address breaks in it
EMAIL = "appointmentsandquestionsaboutyourtreatmentatnorthsideclinic@northside-dermatology.example"  # too long for the trifold


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The combinations the proof renders, as 'brand/kind.lang.layout', in the order proven."""
    proven: list[str] = []
    real = proof.prove_job

    def counting(catalogue, job, patient=None, pdfua=False):  # type: ignore[no-untyped-def]
        proven.append(f"{job.brand}/{job.kind}.{job.language}.{job.layout}")
        return real(catalogue, job, patient, pdfua)

    monkeypatch.setattr(proof, "prove_job", counting)
    return proven


def broken_email(tree: Path) -> None:
    brand = tree / "brands/plain/brand.yaml"
    brand.write_text(brand.read_text().replace("email: care@example.org", f"email: {EMAIL}"))


def test_a_second_check_proves_nothing_again_and_reports_the_same_problems(run, tree: Path, counted: list[str]) -> None:
    broken_email(tree)
    first = run("check", "--content", tree, "--jobs", "1", *TRIFOLD)
    every = len(counted)
    assert every == len([j for j in proof_jobs(load_catalogue(tree)) if j.layout == "trifold"]) and first.code == 1
    assert f"{tree}/brands/plain/brand.yaml: in trifold for plain (en, blank): '{EMAIL}' is broken inside a word" in first.err
    second = run("check", "--content", tree, "--jobs", "1", *TRIFOLD)
    assert len(counted) == every, "nothing proven before is rendered again"
    assert (second.code, second.out, second.err) == (first.code, first.out, first.err)


def test_an_edit_proves_again_exactly_the_sheets_made_from_the_changed_file(run, tree: Path, counted: list[str]) -> None:
    assert run("check", "--content", tree, "--jobs", "1", *TRIFOLD).code == 0
    every = sorted(counted)
    counted.clear()
    teal = tree / "brands/teal/brand.yaml"  # teal's own kit (it extends plain): teal's sheets, and no other
    teal.write_text(teal.read_text().replace("name: Teal Studio", "name: Teal Studio of Skin"))
    assert run("check", "--content", tree, "--jobs", "1", *TRIFOLD).code == 0
    assert sorted(counted) == [name for name in every if name.startswith("teal/")] and counted
    counted.clear()
    handout = tree / "demo/aftercare.es.yaml"
    handout.write_text(handout.read_text(encoding="utf-8").replace("title:", "title: Cuidados", 1), encoding="utf-8")
    run("check", "--content", tree, "--jobs", "1", *TRIFOLD)
    assert sorted(counted) == [name for name in every if "/aftercare.es." in name]


def test_a_copy_of_the_tree_elsewhere_is_answered_with_its_own_paths(run, tree: Path, tmp_path: Path, counted: list[str]) -> None:
    broken_email(tree)
    run("check", "--content", tree, "--jobs", "1", *TRIFOLD)
    every = len(counted)
    elsewhere = tmp_path / "elsewhere" / "content"
    shutil.copytree(tree, elsewhere)
    result = run("check", "--content", elsewhere, "--jobs", "1", *TRIFOLD)
    assert len(counted) == every
    assert f"{elsewhere}/brands/plain/brand.yaml: in trifold for plain (en, blank): '{EMAIL}'" in result.err
    assert f"{tree}/" not in result.err


def test_no_cache_and_an_unreadable_entry_prove_again(run, tree: Path, counted: list[str]) -> None:
    assert run("check", "--content", tree, "--jobs", "1", *TRIFOLD).code == 0
    every = len(counted)
    run("check", "--content", tree, "--jobs", "1", "--no-cache", *TRIFOLD)
    assert len(counted) == 2 * every
    from handouts.files import cache_folder

    entries = sorted((cache_folder() / "proof").glob("*/*.json"))
    assert len(entries) == every
    entries[0].write_text("{half an entr", encoding="utf-8")
    assert run("check", "--content", tree, "--jobs", "1", *TRIFOLD).code == 0
    assert len(counted) == 2 * every + 1


def test_check_pdfua_is_not_answered_from_a_check_without_it(run, tree: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What a check found without the validator says nothing of PDF/UA-1: check --pdfua proves every combination again,
    and keeps what the validator found apart (by its version), for the next check --pdfua."""
    import handouts.marking as marking

    assert run("check", "--content", tree, "--jobs", "1", *TRIFOLD).code == 0
    every = len(counted)
    monkeypatch.setattr(marking, "write_tagged", lambda canvas, structure: None)  # no structure tree: every copy fails PDF/UA-1
    result = run("check", "--content", tree, "--jobs", "1", "--pdfua", *TRIFOLD)
    assert result.code == 1 and "fails PDF/UA-1 rule PDFUA1-STRUCT-TREE-ROOT-001" in result.err
    assert len(counted) == 2 * every
    again = run("check", "--content", tree, "--jobs", "1", "--pdfua", *TRIFOLD)
    assert len(counted) == 2 * every and again.err == result.err, "the second check --pdfua is answered from the cache"


def test_check_layout_proves_only_that_layout(run, tree: Path, counted: list[str]) -> None:
    broken_email(tree)  # broken in the trifold, not in the standard layout
    result = run("check", "--content", tree, "--jobs", "1", "--layout", "standard")
    assert result.code == 0 and EMAIL not in result.err
    assert counted and {name.rsplit(".", 1)[1] for name in counted} == {"standard"}
    assert run("check", "--content", tree, "--layout", "leaflet").err.startswith("error: unknown layout 'leaflet'")
