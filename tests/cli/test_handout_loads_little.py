"""`handout` reads what its sheet needs: its own handout file (and the file a translation was made from), the brand with
the kits it extends and the snippets it includes, not the rest of the tree; its PDF is byte for byte the one a build of
the whole tree writes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handouts import brand as brand_module, content as content_module


@pytest.fixture
def big_tree(tree: Path) -> Path:
    for n in range(40):  # clinics sharing the teal kit, and one kit that is broken
        folder = tree / "brands" / f"clinic-{n:02d}"
        folder.mkdir()
        (folder / "brand.yaml").write_text(f"extends: teal\nname: Clinic {n}\n")
    (tree / "brands/broken").mkdir()
    (tree / "brands/broken/brand.yaml").write_text("name: [unclosed\n")
    shutil.copytree(tree / "demo", tree / "other")
    (tree / "other/aftercare.en.yaml").write_text("id: other-aftercare\ntitle: [unclosed\n")
    return tree


def test_handout_reads_only_its_file_and_brand_chain(run, big_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    kits: list[str] = []
    handouts: list[str] = []
    read_kit, read_handout = brand_module._read, content_module.load_handout
    monkeypatch.setattr(brand_module, "_read", lambda path, slug, *a: kits.append(slug) or read_kit(path, slug, *a))
    monkeypatch.setattr(content_module, "load_handout", lambda root, path, *a: handouts.append(path.name) or read_handout(root, path, *a))
    one = tmp_path / "one.pdf"
    result = run("handout", "demo/aftercare", "--brand", "teal", "--content", big_tree, "-o", one)
    assert result.code == 0, result.err
    assert sorted(kits) == ["plain", "teal"]
    assert handouts == ["aftercare.en.yaml"]  # not the Spanish beside it, nor other/
    out = tmp_path / "out"
    assert run("build", "--content", big_tree, "--out", out, "--jobs", "1", "--brand", "teal").code == 1  # the broken files
    assert one.read_bytes() == (out / "teal/demo-aftercare.en.standard.pdf").read_bytes()


def test_a_mistyped_name_is_still_answered_from_the_whole_tree(run, big_tree: Path, tmp_path: Path) -> None:
    result = run("handout", "demo/aftercare", "--brand", "tael", "--content", big_tree, "-o", tmp_path / "x.pdf")
    assert result.code == 2
    assert "unknown brand 'tael' (one of: broken, clinic-00, clinic-01" in result.err and "did you mean 'teal'?" in result.err
    result = run("handout", "demo/aftercar", "--brand", "teal", "--content", big_tree, "-o", tmp_path / "x.pdf")
    assert "unknown handout 'demo/aftercar'" in result.err and "did you mean 'demo/aftercare'?" in result.err
    assert not (tmp_path / "x.pdf").exists()


def _translated(tree: Path, version: str) -> None:
    """The Spanish file made a translation of the English one (its text the English, so placeholders and links agree)."""
    english = (tree / "demo/aftercare.en.yaml").read_text()
    assert "language: en\n" in english and 'version: "7"\n' in english
    (tree / "demo/aftercare.es.yaml").write_text(english.replace("language: en\n", "language: es\n").replace(
        'version: "7"\n', f'version: "7"\ntranslation: {{source: aftercare.en.yaml, version: "{version}"}}\n'))
    for snippet in (tree / "snippets").glob("*.en.yaml"):
        spanish = snippet.with_name(snippet.name.replace(".en.", ".es."))
        if not spanish.exists():
            spanish.write_text(snippet.read_text().replace("language: en\n", "language: es\n"))


def test_a_translation_reads_the_file_it_was_translated_from(run, big_tree: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _translated(big_tree, "7")
    handouts: list[str] = []
    read_handout = content_module.load_handout
    monkeypatch.setattr(content_module, "load_handout", lambda root, path, *a: handouts.append(path.name) or read_handout(root, path, *a))
    one = tmp_path / "one.pdf"
    result = run("handout", "demo/aftercare", "--brand", "teal", "--lang", "es", "--content", big_tree, "-o", one)
    assert result.code == 0, result.err
    assert handouts == ["aftercare.es.yaml", "aftercare.en.yaml"]
    out = tmp_path / "out"
    assert run("build", "--content", big_tree, "--out", out, "--jobs", "1", "--brand", "teal").code == 1  # the broken files
    assert one.read_bytes() == (out / "teal/demo-aftercare.es.standard.pdf").read_bytes()


def test_a_stale_translation_is_refused_as_a_build_refuses_it(run, big_tree: Path, tmp_path: Path) -> None:
    _translated(big_tree, "6")
    result = run("handout", "demo/aftercare", "--brand", "teal", "--lang", "es", "--content", big_tree, "-o", tmp_path / "x.pdf")
    assert result.code != 0
    assert "translated from version 6; the Spanish is now version 7" not in result.err  # the source is English
    assert "translated from version 6; the English is now version 7" in result.err
    assert not (tmp_path / "x.pdf").exists()
