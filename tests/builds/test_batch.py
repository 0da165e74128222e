"""Batch builds for CI: incremental rebuilds, shards and their merge, parallel workers, machine-readable checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import qpdf_check


def _mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in sorted(out.rglob("*.pdf"))}


def _add_second_handout(tree: Path) -> None:
    text = (tree / "demo/aftercare.en.yaml").read_text()
    text = text.replace("kind: aftercare", "kind: overview").replace("id: demo-aftercare", "id: demo-overview")
    text = text.replace("  - include: snippets/call\n", "")
    (tree / "demo/overview.en.yaml").write_text(text)


def test_second_build_skips_unchanged_pdfs(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    before = _mtimes(out)
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0
    assert "Built 0 PDFs, 3 unchanged, 0 failed" in result.out
    assert _mtimes(out) == before
    forced = run("build", "--content", tree, "--out", out, "--jobs", "1", "--force")
    assert "Built 3 PDFs, 0 unchanged" in forced.out


def test_changing_a_snippet_rebuilds_exactly_its_users(run, tree: Path, tmp_path: Path) -> None:
    _add_second_handout(tree)
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    before = _mtimes(out)
    snippet = tree / "snippets/call.en.yaml"
    snippet.write_text(snippet.read_text().replace("You see pus.", "You see yellow crusts."))
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    after = _mtimes(out)
    changed = sorted(path for path in after if after[path] != before[path])
    assert changed == ["plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf"]
    assert "Built 2 PDFs, 3 unchanged" in result.out


def test_a_damaged_pdf_is_rebuilt(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("build", "--content", tree, "--out", out, "--jobs", "1")
    target = out / "plain/demo-aftercare.en.standard.pdf"
    good = target.read_bytes()
    target.write_bytes(good[:100])
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert "Built 1 PDF, 2 unchanged" in result.out
    assert target.read_bytes() == good


def test_brand_change_rebuilds_that_brand_only(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run("build", "--content", tree, "--out", out, "--jobs", "1")
    before = _mtimes(out)
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text().replace('"48"', '"36"'))
    run("build", "--content", tree, "--out", out, "--jobs", "1")
    after = _mtimes(out)
    assert sorted(p for p in after if after[p] != before[p]) == ["teal/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.es.standard.pdf"]


def test_shards_together_equal_one_full_build(run, tree: Path, tmp_path: Path) -> None:
    _add_second_handout(tree)
    full = tmp_path / "full"
    assert run("build", "--content", tree, "--out", full, "--jobs", "2").code == 0
    shards = [tmp_path / f"shard{k}" for k in (1, 2, 3)]
    for k, out in enumerate(shards, 1):
        assert run("build", "--content", tree, "--out", out, "--jobs", "1", "--shard", f"{k}/3").code == 0
    union: dict[str, bytes] = {}
    for out in shards:
        for pdf in out.rglob("*.pdf"):
            rel = pdf.relative_to(out).as_posix()
            assert rel not in union, f"{rel} built by two shards"
            union[rel] = pdf.read_bytes()
    expected = {p.relative_to(full).as_posix(): p.read_bytes() for p in full.rglob("*.pdf")}
    assert union == expected
    merged = tmp_path / "merged"
    result = run("merge", merged, *[out / "manifest.json" for out in shards])
    assert result.code == 1
    assert f"{merged}/plain/demo-aftercare.en.standard.pdf: is missing or differs from its manifest entry" in result.err
    assert not (merged / "manifest.json").exists()
    for out in shards:
        shutil.copytree(out, merged, dirs_exist_ok=True, ignore=shutil.ignore_patterns("manifest.json", ".*"))
    result = run("merge", merged, *[out / "manifest.json" for out in shards])
    assert result.code == 0, result.err
    strip = lambda body: [{k: v for k, v in e.items()} for e in body["handouts"]]  # noqa: E731
    assert strip(json.loads((merged / "manifest.json").read_text())) == strip(json.loads((full / "manifest.json").read_text()))


def test_bad_shard_is_a_usage_error(run, tree: Path, tmp_path: Path) -> None:
    result = run("build", "--content", tree, "--out", tmp_path / "o", "--shard", "4/3")
    assert result.code == 2
    assert "--shard '4/3' is not K/N with 1 ≤ K ≤ N (e.g. 2/4)" in result.err


def test_parallel_build_matches_serial(run, tree: Path, tmp_path: Path) -> None:
    _add_second_handout(tree)
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert run("build", "--content", tree, "--out", serial, "--jobs", "1").code == 0
    assert run("build", "--content", tree, "--out", parallel, "--jobs", "2").code == 0
    assert (serial / "manifest.json").read_bytes() == (parallel / "manifest.json").read_bytes()
    for pdf in serial.rglob("*.pdf"):
        assert pdf.read_bytes() == (parallel / pdf.relative_to(serial)).read_bytes()
        qpdf_check(pdf)


def test_check_formats(run, tree: Path) -> None:
    (tree / "demo/aftercare.en.yaml").write_text((tree / "demo/aftercare.en.yaml").read_text().replace("  - heading: Bravo heading", "  - headng: Bravo heading"))
    text = run("check", "--content", tree)
    assert text.code == 1
    line = next(i for i, l in enumerate((tree / "demo/aftercare.en.yaml").read_text().splitlines(), 1) if "headng" in l)
    message = "blocks[1]: unknown block type 'headng'"
    assert f"aftercare.en.yaml:{line}: {message}" in text.err
    github = run("check", "--content", tree, "--format", "github")
    assert github.code == 1
    assert any(l.startswith("::error file=") and f",line={line}::{message}" in l for l in github.out.splitlines())
    body = json.loads(run("check", "--content", tree, "--format", "json").out)
    assert {"line": line, "severity": "error"}.items() <= next(p for p in body["problems"] if "headng" in p["message"]).items()
    assert body["grades"] and all("grade" in g for g in body["grades"])


def _manifest_paths(out: Path) -> list[str]:
    return [entry["path"] for entry in json.loads((out / "manifest.json").read_text())["handouts"]]


def test_a_filtered_build_keeps_the_rest_of_the_manifest(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    full = _manifest_paths(out)
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "teal", "--force")
    assert result.code == 0
    assert "Built 2 PDFs, 0 unchanged, 0 failed" in result.out
    assert _manifest_paths(out) == full == ["plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf",
                                            "teal/demo-aftercare.es.standard.pdf"]


def test_pdfs_of_a_brand_that_breaks_are_removed_and_counted_as_failed(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    brand = tree / "brands/teal/brand.yaml"
    brand.write_text(brand.read_text().replace("page_size: a4", "page_size: a5"))
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 1
    assert "brands/teal/brand.yaml:5: page_size: 'a5' is not allowed (one of: a4, letter)" in result.err
    assert "Built 0 PDFs, 1 unchanged, 1 failed" in result.out
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == ["plain/demo-aftercare.en.standard.pdf"]
    assert _manifest_paths(out) == ["plain/demo-aftercare.en.standard.pdf"]


def test_pdfs_of_a_deleted_handout_are_removed(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    (tree / "demo/aftercare.es.yaml").unlink()
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    assert not (out / "teal/demo-aftercare.es.standard.pdf").exists()
    assert _manifest_paths(out) == ["plain/demo-aftercare.en.standard.pdf", "teal/demo-aftercare.en.standard.pdf"]


def test_merge_refuses_a_damaged_manifest(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"handouts": [{"path": "a.pdf"}, 7]}')
    result = run("merge", tmp_path / "merged", bad)
    assert result.code == 1
    assert f"{bad}: entry 1 has no path and sha256 (entries as a build writes them)" in result.err
    assert f"{bad}: entry 2 has no path and sha256 (entries as a build writes them)" in result.err
    bad.write_text("[1, 2")
    result = run("merge", tmp_path / "merged", bad)
    assert result.code == 1
    assert f"error: {bad}: not a handouts manifest (the manifest.json a build writes)" in result.err


def test_github_annotations_escape_the_file_name(run, tree: Path, tmp_path: Path) -> None:
    odd_tree = shutil.copytree(tree, tmp_path / "north, 2:east")
    odd = odd_tree / "demo" / "aftercare.en.yaml"
    odd.write_text(odd.read_text().replace("blocks:\n", "blocks:\n  - headin: Oops\n", 1))
    result = run("check", "--content", odd_tree, "--format", "github")
    assert result.code == 1
    line = next(l for l in result.out.splitlines() if "unknown block type" in l)
    assert line.startswith(f"::error file={str(odd).replace(',', '%2C').replace(':', '%3A')},line=12::blocks[0]: unknown block type 'headin'")
    assert "north%2C 2%3Aeast" in line


def test_the_same_build_again_loads_nothing(run, tree: Path, tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    manifest = (out / "manifest.json").read_bytes()
    import handouts.content

    def refuse(*_args: object) -> None:
        raise AssertionError("the content was loaded again")

    monkeypatch.setattr(handouts.content, "load_catalogue", refuse)
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert result.code == 0, result.err
    assert "Built 0 PDFs, 3 unchanged, 0 failed" in result.out
    assert (out / "manifest.json").read_bytes() == manifest
    monkeypatch.undo()
    # Any change to the content, or a damaged PDF, takes the full path again.
    snippet = tree / "snippets/call.en.yaml"
    snippet.write_text(snippet.read_text().replace("You see pus.", "You see yellow crusts."))
    assert "Built 2 PDFs, 1 unchanged" in run("build", "--content", tree, "--out", out, "--jobs", "1").out
    (out / "teal/demo-aftercare.es.standard.pdf").write_bytes(b"%PDF-1.4 cut")
    assert "Built 1 PDF, 2 unchanged" in run("build", "--content", tree, "--out", out, "--jobs", "1").out


def test_a_filtered_build_marks_what_it_left_out_of_date(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace('version: "7"', 'version: "8"'))
    result = run("build", "--content", tree, "--out", out, "--jobs", "1", "--brand", "teal")
    assert result.code == 0, result.err
    assert (f"{out}/plain/demo-aftercare.en.standard.pdf: warning: is out of date with the content and marked stale in the manifest "
            "(a build that includes it, e.g. without --brand/--handout/--lang/--shard)") in result.err
    entries = {e["path"]: e for e in json.loads((out / "manifest.json").read_text())["handouts"]}
    assert entries["plain/demo-aftercare.en.standard.pdf"]["stale"] is True
    assert "stale" not in entries["teal/demo-aftercare.en.standard.pdf"]
    result = run("build", "--content", tree, "--out", out, "--jobs", "1")
    assert "Built 1 PDF, 2 unchanged" in result.out and "stale" not in result.err
    assert not any("stale" in e for e in json.loads((out / "manifest.json").read_text())["handouts"])


def test_shard_manifests_record_their_share_and_merge_refuses_missing_repeated_or_foreign_shards(run, tree: Path, tmp_path: Path) -> None:
    shards = [tmp_path / f"shard{k}" for k in (1, 2, 3)]
    for k, out in enumerate(shards, 1):
        assert run("build", "--content", tree, "--out", out, "--jobs", "1", "--shard", f"{k}/3").code == 0
    records = [json.loads((out / "manifest.json").read_text())["build"] for out in shards]
    assert [r["shard"] for r in records] == ["1/3", "2/3", "3/3"]
    assert len({r["catalogue"] for r in records}) == 1
    assert [r["jobs"] for r in records] == [["plain/demo-aftercare.en.standard.pdf"], ["teal/demo-aftercare.en.standard.pdf"],
                                            ["teal/demo-aftercare.es.standard.pdf"]]
    merged = tmp_path / "merged"
    for out in shards:
        shutil.copytree(out, merged, dirs_exist_ok=True, ignore=shutil.ignore_patterns("manifest.json", ".*"))
    one, two, three = (out / "manifest.json" for out in shards)

    missing = run("merge", merged, one, two)
    assert missing.code == 1
    assert missing.err == f"{merged}: shard 3/3 is missing (the manifests of all 3 shards)\n"
    repeated = run("merge", merged, one, two, two, three)
    assert repeated.code == 1
    assert repeated.err == f"{two}: shard 2/3 is given twice (also {two}) (each shard once)\n"
    # Shard 3 again, from content that has changed since: another catalogue.
    handout = tree / "demo/aftercare.en.yaml"
    handout.write_text(handout.read_text().replace("Bravo heading", "Bravo heading, revised"))
    other = tmp_path / "other3"
    assert run("build", "--content", tree, "--out", other, "--jobs", "1", "--shard", "3/3").code == 0
    foreign = run("merge", merged, one, two, other / "manifest.json")
    assert foreign.code == 1
    assert foreign.err == (f"{merged}: shard 3/3 is missing (the manifests of all 3 shards)\n"
                           f"{other / 'manifest.json'}: shard 3/3 comes from another catalogue than {one} "
                           "(shards of one build: the same content, filters and options)\n")
    assert not (merged / "manifest.json").exists()
    good = run("merge", merged, three, one, two)
    assert good.code == 0, good.err
    body = json.loads((merged / "manifest.json").read_text())
    assert body["build"] == {"shard": "1/1", "catalogue": records[0]["catalogue"], "jobs": sorted(j for r in records for j in r["jobs"])}


def test_merge_refuses_a_shard_that_failed_part_of_its_share(run, tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "shard1"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1", "--shard", "1/1").code == 0
    manifest = out / "manifest.json"
    body = json.loads(manifest.read_text())
    body["handouts"] = body["handouts"][1:]
    manifest.write_text(json.dumps(body))
    result = run("merge", out, manifest)
    assert result.code == 1
    assert result.err == (f"{manifest}: shard 1/1 has no plain/demo-aftercare.en.standard.pdf "
                          "(a shard build that finished without errors)\n")


def test_a_manifest_without_a_share_record_cannot_be_merged(run, tree: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.json"
    old.write_text('{"generator": "handouts", "handouts": []}')
    result = run("merge", tmp_path / "merged", old)
    assert result.code == 1
    assert result.err == (f"{old}: does not record which shard of which catalogue it holds "
                          "(the manifest.json of `build --shard K/N`, as this version writes it)\n")
