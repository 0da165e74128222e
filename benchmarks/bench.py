#!/usr/bin/env python3
"""Benchmarks: engine overhead, parallel speed-up, incremental no-op, cold start, memory, scaling.

Run from the repository root:  python benchmarks/bench.py [--quick]
Prints one table of figures; record them in benchmarks/README.md with the machine they ran on.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handouts.build import Job, make_sheet, plan, render  # noqa: E402
from handouts.content import load_catalogue  # noqa: E402

HANDOUT = ("microneedling", "aftercare", "en")


def median_ms(fn, repeat: int) -> float:
    """Median wall time of fn() in milliseconds, after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def baseline_story(handout, family, pagesize) -> bytes:
    """The same text as a plain, hand-written platypus story: paragraphs and bullets, one footer line."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate
    from xml.sax.saxutils import escape

    body = ParagraphStyle("b", fontName=family.regular, fontSize=10.5, leading=15)
    head = ParagraphStyle("h", parent=body, fontName=family.bold, fontSize=13.5, leading=17)
    story = [Paragraph(escape(handout.title), head)]
    for _source, block in handout.blocks:
        for rich in block.texts():
            text = escape("".join(span.text for span in rich.spans))
            story.append(Paragraph(text, head if block.type_name == "heading" else body, bulletText="•" if block.type_name in ("bullets", "checklist") else None))

    def footer(canvas, doc):
        canvas.setFont(family.regular, 8)
        canvas.drawString(50, 30, f"Page {doc.page}")

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=pagesize, invariant=1, initialFontName=family.regular).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def run_cli(args: list[str], cwd: Path) -> float:
    """Seconds taken by one generate.py process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "generate.py"), *args], cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def scaled_tree(source: Path, target: Path, handouts: int) -> None:
    """A content tree with about `handouts` handouts per brand and language: the treatment copied under new names."""
    shutil.copytree(source, target)
    treatment = target / HANDOUT[0]
    per_copy = len({p.name.split(".")[0] for p in treatment.glob("*.*.yaml")})
    copies = max(1, round(handouts / per_copy))
    for i in range(1, copies):
        shutil.copytree(treatment, target / f"{HANDOUT[0]}-{i}")


def main() -> int:
    """Run every benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--quick", action="store_true", help="fewer repeats and no 1,000-handout run")
    args = parser.parse_args()
    repeat = 5 if args.quick else 20
    rows: list[tuple[str, str, str]] = []

    catalogue = load_catalogue(args.content)
    brand = sorted(catalogue.brands)[0]
    job = Job(brand, *HANDOUT, "standard")
    sheet = make_sheet(catalogue, job)
    engine = median_ms(lambda: render(make_sheet(catalogue, job), "standard"), repeat)
    baseline = median_ms(lambda: baseline_story(sheet.handout, sheet.family, sheet.pagesize), repeat)
    rows.append(("aftercare, warm, whole pipeline", f"{engine:.1f} ms", f"{engine / baseline:.2f}× the hand-written story ({baseline:.1f} ms); target ≤ 1.25×"))

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        jobs = len(plan(catalogue))
        one = run_cli(["build", "--content", str(args.content), "--out", str(tmp_path / "j1"), "--jobs", "1", "--force"], tmp_path)
        two = run_cli(["build", "--content", str(args.content), "--out", str(tmp_path / "j2"), "--jobs", "2", "--force"], tmp_path)
        rows.append((f"catalogue ({jobs} PDFs), --jobs 1", f"{one * 1000:.0f} ms", f"{one * 1000 / jobs:.1f} ms per handout"))
        rows.append((f"catalogue ({jobs} PDFs), --jobs 2", f"{two * 1000:.0f} ms", f"{one / two:.2f}× faster on {os.cpu_count()} cores; target ≥ 1.7×"))
        noop = run_cli(["build", "--content", str(args.content), "--out", str(tmp_path / "j1"), "--jobs", "2"], tmp_path)
        rows.append(("no-op incremental rebuild", f"{noop * 1000:.0f} ms", f"{noop / one * 100:.1f}% of the full build; target < 5%"))

        cold = statistics.median(run_cli(["handout", "/".join(HANDOUT[:2]), "--brand", brand, "--content", str(args.content),
                                          "-o", str(tmp_path / f"cold{i}.pdf")], tmp_path) for i in range(3))
        script = ("import io,sys; sys.path.insert(0, %r); from benchmarks.bench import baseline_story; "
                  "from handouts.content import load_catalogue; from handouts.build import Job, make_sheet; from pathlib import Path; "
                  "c = load_catalogue(Path(%r)); s = make_sheet(c, Job(%r, %r, %r, %r, 'standard')); "
                  "baseline_story(s.handout, s.family, s.pagesize)") % (str(ROOT), str(args.content), brand, *HANDOUT)
        bare = []
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", script], check=True, cwd=ROOT)
            bare.append(time.perf_counter() - start)
        rows.append(("cold `generate.py handout` process", f"{cold * 1000:.0f} ms",
                     f"{cold / statistics.median(bare):.2f}× a bare script building the plain story ({statistics.median(bare) * 1000:.0f} ms); target < 1.5×"))

        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        run_cli(["build", "--content", str(args.content), "--out", str(tmp_path / "mem"), "--jobs", "2", "--force"], tmp_path)
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        rows.append(("peak memory of a build process", f"{peak:.0f} MB", "largest resident set of any process; target < 150 MB"))

        sizes = (10, 100) if args.quick else (10, 100, 1000)
        per = []
        for size in sizes:
            tree = tmp_path / f"tree{size}"
            scaled_tree(args.content, tree, size)
            count = len(plan(load_catalogue(tree)))
            took = run_cli(["build", "--content", str(tree), "--out", str(tmp_path / f"out{size}"), "--jobs", "2"], tmp_path)
            per.append(took * 1000 / count)
            rows.append((f"scaling: {count} PDFs, --jobs 2", f"{took:.1f} s", f"{took * 1000 / count:.1f} ms per PDF"))
        rows.append(("scaling: ms per PDF, largest / smallest", f"{per[-1] / per[0]:.2f}", "≈ 1 or below means linear"))

    width = max(len(r[0]) for r in rows)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.platform()}")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
