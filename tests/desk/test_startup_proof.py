"""The desk's start-up proof keeps what it found in check's proof cache: a desk started after `check` renders nothing
that check proved, what the cache says is what the desk offers, and a file edited since is proven again."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts.content import load_catalogue
from handouts.desk.app import load
from handouts.errors import Problem
from handouts.jobs import Job
from handouts.proof import proof_jobs
from handouts.files import cache_folder
from handouts.proofcache import ProofCache

pytestmark = pytest.mark.timeout(300)

EVERY = ["large-print", "standard", "trifold", "two-column"]  # what the demo aftercare is proven in, in English
CONTACT = """contact:
  phone: "(555) 010-0000"
  email: appointmentsandquestionsaboutyourtreatmentatnorthsideclinic@northside-dermatology.example
"""  # too long for the card and the trifold, even set smaller


def entries(folder: Path) -> set[str]:
    """The names of the proof cache's entries."""
    return {path.stem for path in (folder / "proof").rglob("*.json")}


def offered(tree: Path, brand: str) -> list[str]:
    """The layouts a desk started over the tree offers the English demo aftercare in, for a brand."""
    service = load(tree, workers=1)
    try:
        return list(service.layouts_for(brand, "demo/aftercare", "en"))
    finally:
        service.close()


def test_a_desk_started_after_check_is_answered_from_the_cache_and_an_edit_is_proven_again(run, tree: Path) -> None:
    folder = cache_folder()  # this test's own (conftest)
    assert run("check", "--content", tree, "--jobs", "1").code == 0
    proven = entries(folder)
    catalogue = load_catalogue(tree)
    cache = ProofCache(folder, catalogue)
    assert proven == {cache.key(job) for job in proof_jobs(catalogue)}
    # What the cache says for one combination is what the desk goes by: it renders nothing check proved.
    cache.put(cache.key(Job("plain", "demo", "aftercare", "en", "standard")),
              [Problem("demo/aftercare.en.yaml", None, "found wanting", "nothing")])
    assert offered(tree, "plain") == [name for name in EVERY if name != "standard"]
    assert offered(tree, "teal") == EVERY
    assert entries(folder) == proven, "the desk proved again what check had proved"

    brand = tree / "brands/teal/brand.yaml"  # teal extends plain: an edit of it changes teal's sheets only
    brand.write_text(brand.read_text() + CONTACT)
    assert offered(tree, "teal") == ["large-print", "standard", "two-column"]
    edited = ProofCache(folder, load_catalogue(tree))
    teal = {edited.key(job) for job in proof_jobs(edited.catalogue) if job.brand == "teal"}
    assert entries(folder) - proven == teal, "the desk did not prove again exactly the sheets of the edited brand"
    assert offered(tree, "plain") == [name for name in EVERY if name != "standard"]  # still answered from the cache
