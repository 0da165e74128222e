"""A build hashes the web copies its manifest lists once, not at every commit of its PDFs, and each commit's manifest
still lists exactly the copies that are intact on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handouts import build, manifest

pytestmark = pytest.mark.timeout(120)


def test_a_build_committing_pdf_by_pdf_hashes_each_listed_copy_once(run, tree: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", tree, "--out", out, "--jobs", "1").code == 0
    copies = {entry["path"] for entry in json.loads((out / "manifest.json").read_text())["copies"]}
    assert copies
    damaged = sorted(copies)[0]
    (out / damaged).write_bytes(b"not the page")  # listed, but no longer intact: the next commits must leave it out
    hashed: list[str] = []
    real = manifest.sha256_file

    def counting(path: Path) -> str:
        if "/html/" in path.as_posix():
            hashed.append(path.relative_to(out).as_posix())
        return real(path)

    monkeypatch.setattr(manifest, "sha256_file", counting)
    monkeypatch.setattr(manifest.intact, "__defaults__", (counting,))
    monkeypatch.setattr(build, "COMMIT_EVERY", 1)  # a commit (two manifest writes) after every PDF
    lists: list[set[str]] = []
    real_write = manifest.write_manifest

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        path = real_write(*args, **kwargs)
        lists.append({entry["path"] for entry in json.loads(path.read_text())["copies"]})
        return path

    monkeypatch.setattr("handouts.output.write_manifest", recording)
    monkeypatch.setattr("handouts.copies.write_copies", _without_copies)
    assert run("build", "--content", tree, "--out", out, "--jobs", "1", "--force").code == 0
    assert len(lists) >= 4  # several commits, each writing the manifest
    assert all(listed == copies - {damaged} for listed in lists)
    assert sorted(hashed) == sorted(copies)  # each listed copy hashed once, however many commits


def _without_copies(*_args):  # type: ignore[no-untyped-def]
    from handouts.copies import CopiesResult

    return CopiesResult([], [], 0, 0)
