#!/usr/bin/env python3
"""Benchmarks of the handouts engine: overhead, parallel speed-up, no-op rebuilds, cold start, memory, scaling.

Run from anywhere:   python benchmarks/bench.py [--content DIR] [--quick]

Every figure comes from this one run on this machine; the baselines are built in
the same run. Nothing is written into the content tree: catalogues and output go
to a temporary folder that is removed at the end. See benchmarks/README.md for
what each line means.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import baseline  # noqa: E402  (the hand-written reportlab story; imports nothing from handouts)

GENERATE = ROOT / "generate.py"
ENV = dict(os.environ)  # set in main(): a private bytecode cache, so that every process starts as an installed program does
RESERVED = ("brands", "snippets")
HANDOUT_FILE = re.compile(r"^(?P<kind>[a-z-]+)\.(?P<lang>[a-z]{2,3}(?:-[A-Za-z0-9]+)*)\.yaml$")


# --- helpers -----------------------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of the table."""

    name: str
    value: str
    detail: str = ""
    target: str = ""
    met: bool | None = None
    busy: float | None = None  # share of the machine other processes used meanwhile


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)

    def add(self, *args, **kwargs) -> None:
        self.rows.append(Row(*args, **kwargs))
        row = self.rows[-1]
        print(f"  {row.name}: {row.value}  {row.detail}", file=sys.stderr, flush=True)

    def table(self, machine: str, argv: list[str]) -> str:
        lines = [f"machine: {machine}", f"command: python benchmarks/bench.py {' '.join(argv)}".rstrip(), ""]
        width = max(len(r.name) for r in self.rows)
        value = max(len(r.value) for r in self.rows)
        target = max(len(r.target) for r in self.rows)
        for r in self.rows:
            verdict = "" if r.met is None else ("met" if r.met else "NOT MET")
            lines.append(f"{r.name:<{width}}  {r.value:>{value}}  {r.target:<{target}}  {verdict:<7}  {r.detail}")
        busy = [r for r in self.rows if r.busy is not None and r.busy > 0.05]
        if busy:
            lines.append("")
            lines += [f"note: other processes used {r.busy:.0%} of the CPUs during '{r.name}'; its figures are pessimistic" for r in busy]
        return "\n".join(lines)


def machine() -> str:
    """CPU model, cores, Python, reportlab and OS of this machine."""
    import reportlab

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from reportlab.lib import rl_accel

    try:
        from importlib.metadata import version

        accel, typst = version("rl_accel"), version("typst")
    except Exception:  # not installed: said as such
        accel, typst = "absent", "absent"
    accel = accel if rl_accel._c_funcs else "not in use"
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, reportlab {reportlab.Version} "
            f"(rl_accel {accel}), typst {typst}; {platform.system()} {platform.release()}")


def median(values: list[float]) -> float:
    return statistics.median(values)


def run(args: list[str], cwd: Path, ok_codes: tuple[int, ...] = (0,), env: dict | None = None) -> float:
    """Seconds taken by one process; fail loudly if it does not succeed."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=env or ENV)
    took = time.perf_counter() - start
    if done.returncode not in ok_codes:
        raise SystemExit(f"benchmark step failed ({done.returncode}): {' '.join(map(str, args))}\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return took


def run_cpu(args: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds of wall and of CPU (user and system, the process and its children) taken by one process."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = run(args, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def generate(*args: object) -> list[str]:
    return [sys.executable, str(GENERATE), *map(str, args)]


class Background:
    """How busy the machine was with other processes while a measurement ran (Linux; None elsewhere).

    The CPU time the whole machine spent (from /proc/stat) less what this process and the processes it waited for
    spent: anything above a few per cent means the figures of that line are pessimistic.
    """

    def __enter__(self) -> "Background":
        self.start = (self._busy(), self._own(), time.perf_counter())
        self.share: float | None = None
        return self

    def __exit__(self, *_: object) -> None:
        busy, own, wall = self._busy(), self._own(), time.perf_counter()
        if busy is not None and self.start[0] is not None and wall > self.start[2]:
            other = (busy - self.start[0]) - (own - self.start[1])
            self.share = max(0.0, other / ((wall - self.start[2]) * (os.cpu_count() or 1)))

    @staticmethod
    def _busy() -> float | None:
        try:
            fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")

    @staticmethod
    def wait_quiet(limit: float = 0.1, timeout: float = 120) -> bool:
        """Wait (at most timeout seconds) until other processes use less than `limit` of the CPUs over a second."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with Background() as idle:
                time.sleep(1)
            if idle.share is None or idle.share < limit:
                return True
        return False

    @staticmethod
    def _own() -> float:
        import resource

        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(what: str, fn, attempts: int = 3, limit: float = 0.1):
    """fn() inside a Background; when other processes took more than `limit` of the CPUs, wait for a quiet
    moment and measure again (at most `attempts` times). Returns (result, share of the least disturbed attempt)."""
    best = None
    for attempt in range(attempts):
        if attempt:
            print(f"  {what}: other processes used {best[1]:.0%} of the CPUs; waiting for a quiet moment to measure again",
                  file=sys.stderr, flush=True)
            Background.wait_quiet()
        with Background() as busy:
            result = fn()
        share = busy.share or 0.0
        if best is None or share < best[1]:
            best = (result, share)
        if share <= limit:
            break
    return best


# --- content trees -----------------------------------------------------------------------------------------------------

def handout_files(content: Path) -> list[tuple[str, Path]]:
    """(treatment slug, handout file) of every handout in a content tree, in a stable order."""
    found = []
    for folder in sorted(p for p in content.iterdir() if p.is_dir() and p.name not in RESERVED and not p.name.startswith(".")):
        found += [(folder.name, path) for path in sorted(folder.glob("*.yaml")) if HANDOUT_FILE.match(path.name)]
    return found


def brand_chain(content: Path, slug: str) -> list[str]:
    """A brand and the brands it extends, nearest first."""
    import yaml

    chain = []
    while slug and slug not in chain:
        chain.append(slug)
        slug = (yaml.safe_load((content / "brands" / slug / "brand.yaml").read_text(encoding="utf-8")) or {}).get("extends")
    return chain


def pdf_count(out: Path) -> int:
    return len(json.loads((out / "manifest.json").read_text(encoding="utf-8"))["handouts"])


def page_count(out: Path) -> int:
    return sum(entry["pages"] for entry in json.loads((out / "manifest.json").read_text(encoding="utf-8"))["handouts"])


def synthetic_tree(content: Path, target: Path, pdfs: int) -> None:
    """A catalogue of about `pdfs` PDFs: the tree's handouts copied under new treatment names, each with its settings and images.

    Brands and snippets are the tree's own. A handout file gives one PDF per brand that prints its language, so the
    copies stop as soon as the count is reached (it can overshoot by at most one file's worth).
    """
    import yaml

    target.mkdir(parents=True)
    for name in RESERVED:
        if (content / name).is_dir():
            shutil.copytree(content / name, target / name)
    languages = []
    for brand in sorted(p.name for p in (content / "brands").iterdir() if (p / "brand.yaml").is_file()):
        kit: dict = {}
        for slug in reversed(brand_chain(content, brand)):
            kit.update(yaml.safe_load((content / "brands" / slug / "brand.yaml").read_text(encoding="utf-8")) or {})
        languages += list(kit.get("languages") or ["en"])
    files = handout_files(content)
    total, copy = 0, 0
    while total < pdfs:
        copy += 1
        for treatment, path in files:
            if total >= pdfs:
                break
            folder = target / f"{treatment}-s{copy:04d}"
            if not folder.exists():
                shutil.copytree(content / treatment, folder, ignore=lambda _d, names: [n for n in names if HANDOUT_FILE.match(n)])
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"(?m)^id: *(\S+)", lambda m: f"id: {m[1].strip(chr(34))}-s{copy:04d}", text, count=1)  # noqa: B023
            (folder / path.name).write_text(text, encoding="utf-8")
            total += languages.count(HANDOUT_FILE.match(path.name)["lang"])


def minimal_tree(content: Path, target: Path, treatment: str, kind: str, lang: str, brand: str) -> None:
    """A tree with one handout, its treatment's settings and pictures, the snippets and one brand (with those it extends)."""
    target.mkdir(parents=True)
    shutil.copytree(content / treatment, target / treatment, ignore=lambda _d, names: [n for n in names if HANDOUT_FILE.match(n)])
    shutil.copy2(content / treatment / f"{kind}.{lang}.yaml", target / treatment)
    if (content / "snippets").is_dir():
        shutil.copytree(content / "snippets", target / "snippets")
    for slug in brand_chain(content, brand):
        shutil.copytree(content / "brands" / slug, target / "brands" / slug)


def same_sheet_tree(content: Path, target: Path, pdfs: int, treatment: str, kind: str, lang: str, brand: str) -> None:
    """A catalogue of `pdfs` copies of one sheet (the warm line's handout, language and brand) under new treatment names:
    what Typst is timed on, as a catalogue."""
    minimal_tree(content, target, treatment, kind, lang, brand)
    source = target / treatment
    text = (source / f"{kind}.{lang}.yaml").read_text(encoding="utf-8")
    for copy in range(1, pdfs):
        folder = target / f"{treatment}-s{copy:04d}"
        shutil.copytree(source, folder, ignore=lambda _d, names: [n for n in names if HANDOUT_FILE.match(n)])
        renamed = re.sub(r"(?m)^id: *(\S+)", lambda m: f"id: {m[1].strip(chr(34))}-s{copy:04d}", text, count=1)  # noqa: B023
        (folder / f"{kind}.{lang}.yaml").write_text(renamed, encoding="utf-8")


# --- memory ------------------------------------------------------------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def _peak_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def peak_memory(args: list[str], cwd: Path) -> tuple[float, dict[int, float]]:
    """Run a build; return the peak resident memory (MB) of its main process and of each worker process.

    The peak (VmHWM in /proc) is read every 20 ms while the processes live, so it is each process's own high-water
    mark, not a sum and not a maximum over unrelated processes. Linux only.
    """
    process = subprocess.Popen(args, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main_peak, workers = 0, {}
    while process.poll() is None:
        main_peak = max(main_peak, _peak_kb(process.pid) or 0)
        for child in _children(process.pid):
            peak = _peak_kb(child)
            if peak:
                workers[child] = max(workers.get(child, 0), peak)
        time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"benchmark step failed ({process.returncode}): {' '.join(args)}")
    return main_peak / 1024, {pid: kb / 1024 for pid, kb in workers.items()}


# --- the measurements --------------------------------------------------------------------------------------------------

@dataclass
class Peers:
    """Per-page times of one sheet in this process, medians (ms): wall and CPU of the engine, the script and Typst."""

    engine: float
    engine_cpu: float
    hand: float
    hand_cpu: float
    typst: float
    typst_cpu: float
    typst_again: float
    pages: int
    typst_pages: int


def warm(report: Report, content: Path, tmp: Path, treatment: str, kind: str, lang: str, brand: str, repeat: int) -> Peers:
    """The engine's whole pipeline for one handout against the hand-written story and the hand-written Typst document,
    in turn, in this process.

    The engine loads and validates the handout's files (from a tree holding just that handout, its snippets, settings
    and brand), checks glyphs, lays out and renders to bytes. The baseline gets its text already in memory, as a
    hand-written script has it, and only builds the story and renders. Typst compiles its source (written before, not
    timed) to PDF bytes: a new document each time (see typst_peer.Peer.compile).
    """
    import io
    from dataclasses import replace

    from pypdf import PdfReader

    import typst_peer
    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.pdf import make_sheet, render_pdf
    from handouts.plugins import use_shipped_layouts

    use_shipped_layouts()
    tree = tmp / "one-handout"
    minimal_tree(content, tree, treatment, kind, lang, brand)
    job = Job(brand, treatment, kind, lang, "standard")
    inputs = baseline.read_inputs(content, treatment, kind, lang, brand)
    peer = typst_peer.Peer(typst_peer.write_document(inputs, tmp / "typst"))

    def engine(tagged: bool = True) -> tuple[float, float, int]:
        start = time.perf_counter()
        catalogue = load_catalogue(tree)
        loaded = time.perf_counter()
        if catalogue.failed or job.treatment not in catalogue.treatments:
            raise SystemExit(f"{treatment}/{kind}.{lang} does not load: {catalogue.problems[:3]}")
        sheet = make_sheet(catalogue, job)
        pages = render_pdf(sheet if tagged else replace(sheet, tagged=False), "standard").pages
        return loaded - start, time.perf_counter() - loaded, pages

    def fresh() -> tuple[float, float, int]:
        """The engine's tagged sheet with nothing kept from the sheets before: every file validated, every text parsed,
        broken into lines and looked up in the fonts afresh, as for the first sheet of a handout in a process."""
        import handouts.loaded as loaded
        import handouts.paragraphs as paragraphs
        import handouts.writing as writing

        paragraphs._parsed.clear()
        paragraphs._broken.clear()
        for memo in (paragraphs._line, writing._runs, writing._not_in_chain, writing._width_by_script, writing._unnamed_glyph):
            memo.cache_clear()
        with loaded.set_aside():
            return engine()

    def timed(fn) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        return time.perf_counter() - start, time.process_time() - cpu

    def measure() -> dict[str, list[float]]:
        for _ in range(3):  # warm: imports, fonts, caches
            engine()
            engine(tagged=False)
            baseline.build_pdf(inputs)
            peer.compile()
        got: dict[str, list[float]] = {k: [] for k in ("load", "render", "total", "total_cpu", "untagged", "untagged_cpu", "hand",
                                                       "hand_cpu", "typst", "typst_cpu", "again", "fresh", "fresh_cpu")}
        gc.collect()

        def tagged_sheet() -> None:
            cpu = time.process_time()
            load_s, render_s, _ = engine()
            got["total_cpu"].append(time.process_time() - cpu)
            got["load"].append(load_s)
            got["render"].append(render_s)
            got["total"].append(load_s + render_s)

        def untagged_sheet() -> None:
            cpu = time.process_time()
            load_s, render_s, _ = engine(tagged=False)
            got["untagged_cpu"].append(time.process_time() - cpu)
            got["untagged"].append(load_s + render_s)

        def fresh_sheet() -> None:
            cpu = time.process_time()
            load_s, render_s, _ = fresh()
            got["fresh_cpu"].append(time.process_time() - cpu)
            got["fresh"].append(load_s + render_s)

        def script() -> None:
            wall, cpu_s = timed(lambda: baseline.build_pdf(inputs))
            got["hand"].append(wall)
            got["hand_cpu"].append(cpu_s)

        def typst() -> None:
            wall, cpu_s = timed(peer.compile)
            got["typst"].append(wall)
            got["typst_cpu"].append(cpu_s)
            got["again"].append(timed(lambda: peer.compile(again=True))[0])

        # Each round in its own order (shuffled, the same for every run of the bench): whatever runs just after the
        # Typst compile finds the processor's caches cold and takes 1-2 ms more, so no line may always follow it.
        steps = [tagged_sheet, untagged_sheet, fresh_sheet, script, typst]
        order = random.Random(0)
        for _ in range(repeat):
            order.shuffle(steps)
            for step in steps:
                step()
        return got

    got, share = measured("warm", measure)
    pages = engine()[2]
    hand_pages = len(PdfReader(io.BytesIO(baseline.build_pdf(inputs))).pages)
    typst_pages = len(PdfReader(io.BytesIO(peer.compile())).pages)
    ms = {k: median(v) * 1000 for k, v in got.items()}
    e, h, u = ms["total"], ms["hand"], ms["untagged"]
    report.add(f"warm: {treatment}/{kind} {lang}, {brand}, standard", f"{e / h:.2f}×",
               f"engine {e:.1f} ms (load+validate {ms['load']:.1f}, sheet+render {ms['render']:.1f}), a tagged PDF/UA-1 sheet as every "
               f"command prints it, against the hand-written story {h:.1f} ms, untagged; {pages} and {hand_pages} pages; CPU "
               f"{ms['total_cpu']:.1f} against {ms['hand_cpu']:.1f} ms ({ms['total_cpu'] / ms['hand_cpu']:.2f}×); median of {repeat}",
               "≤ 1.05×", e / h <= 1.05, share)
    report.add("warm, like for like: the engine's sheet untagged against the script", f"{u / h:.2f}×",
               f"engine {u:.1f} ms untagged (the same sheet without its structure tree) against {h:.1f} ms; CPU {ms['untagged_cpu']:.1f} "
               f"against {ms['hand_cpu']:.1f} ms ({ms['untagged_cpu'] / ms['hand_cpu']:.2f}×); tagging adds {e - u:.1f} ms", "≤ 1.05×", u / h <= 1.05, share)
    report.add("warm, nothing kept: the engine's first sheet of its texts against the script", f"{ms['fresh'] / h:.2f}×",
               f"engine {ms['fresh']:.1f} ms tagged with every text's kept work dropped before each sheet (parses, lines, script runs), "
               f"as for a handout the process meets for the first time, against {h:.1f} ms; CPU {ms['fresh_cpu']:.1f} against "
               f"{ms['hand_cpu']:.1f} ms ({ms['fresh_cpu'] / ms['hand_cpu']:.2f}×)", "", None, share)
    peers = Peers(e / pages, ms["total_cpu"] / pages, h / hand_pages, ms["hand_cpu"] / hand_pages, ms["typst"] / typst_pages,
                  ms["typst_cpu"] / typst_pages, ms["again"] / typst_pages, pages, typst_pages)
    report.add("per page, one process: engine against Typst", f"{peers.engine_cpu / peers.typst_cpu:.2f}×",
               f"CPU per page: engine {peers.engine_cpu:.1f} ms, hand-written reportlab {peers.hand_cpu:.1f} ms, Typst {peers.typst_cpu:.1f} ms "
               f"(wall {peers.engine:.1f}, {peers.hand:.1f}, {peers.typst:.1f} ms; Typst {typst_pages} pages, returning the same "
               f"document again from its memory {peers.typst_again:.1f} ms a page)", "", None, share)
    return peers


def tagging(report: Report, content: Path, treatment: str, kind: str, lang: str, brand: str, repeat: int) -> None:
    """What tagging (PDF/UA-1) costs per page: each layout's sheet rendered tagged and untagged, alternating, in this process."""
    from dataclasses import replace

    from handouts.content import load_catalogue
    from handouts.jobs import Job
    from handouts.pdf import make_sheet, render_pdf
    from handouts.plugins import use_shipped_layouts
    from handouts.registry import layouts

    use_shipped_layouts()
    catalogue = load_catalogue(content)
    for name in sorted(layouts()):
        job = Job(brand, treatment, kind, lang, name)
        if not layouts()[name].offers(catalogue.treatments[treatment].handouts[(kind, lang)]):
            continue
        tagged_sheet = make_sheet(catalogue, job)
        sheets = {True: tagged_sheet, False: replace(tagged_sheet, tagged=False)}

        def once(tagged: bool, sheets: dict = sheets, name: str = name) -> tuple[float, int, int]:
            start = time.perf_counter()
            rendered = render_pdf(sheets[tagged], name)
            return time.perf_counter() - start, rendered.pages, len(rendered.data)

        def measure(once=once) -> dict[bool, tuple[list[float], int, int]]:
            for _ in range(2):
                once(True)
                once(False)
            times: dict[bool, list[float]] = {True: [], False: []}
            sizes: dict[bool, tuple[int, int]] = {}
            gc.collect()
            for _ in range(repeat):
                for tagged in (True, False):
                    seconds, pages, size = once(tagged)
                    times[tagged].append(seconds)
                    sizes[tagged] = (pages, size)
            return {tagged: (times[tagged], *sizes[tagged]) for tagged in (True, False)}

        result, share = measured(f"tagging {name}", measure)
        (tagged_times, pages, tagged_size), (plain_times, _, plain_size) = result[True], result[False]
        t, u = median(tagged_times) * 1000 / pages, median(plain_times) * 1000 / pages
        report.add(f"tagging: {name} ({pages} pages)", f"+{t - u:.1f} ms/page",
                   f"{t:.1f} ms per page tagged against {u:.1f} untagged (+{(t - u) / u * 100:.0f}%); {tagged_size / 1024:.0f} KiB against "
                   f"{plain_size / 1024:.0f} KiB; median of {repeat}", "", None, share)


@dataclass
class Builds:
    count: int
    one: float
    many: float
    noop: float
    pages: int


def catalogue_builds(tree: Path, tmp: Path, label: str, jobs: int, repeat: int) -> tuple[Builds, float | None]:
    """Full builds at --jobs 1 and --jobs N (alternating; medians), then no-op rebuilds of the N-job output."""
    out1, outn = tmp / f"{label}-j1", tmp / f"{label}-j{jobs}"

    def measure() -> Builds:
        one, many = [], []
        for _ in range(repeat):
            one.append(run(generate("build", "--content", tree, "--out", out1, "--jobs", 1, "--force"), tmp))
            many.append(run(generate("build", "--content", tree, "--out", outn, "--jobs", jobs, "--force"), tmp))
        noop = [run(generate("build", "--content", tree, "--out", outn, "--jobs", jobs), tmp) for _ in range(max(repeat, 3))]
        return Builds(pdf_count(outn), median(one), median(many), median(noop), page_count(outn))

    return measured(f"builds of {label}", measure)


def cold(report: Report, content: Path, tmp: Path, treatment: str, kind: str, lang: str, brand: str, repeat: int) -> None:
    """One `generate.py handout` process against one process of the hand-written script, alternating.

    Both run with a bytecode cache (a private one in the temporary folder), as an installed program does; the same
    comparison without any cache for the engine's own modules is shown too, because some environments switch it off.
    """
    inputs = tmp / "inputs.json"
    baseline.save_inputs(baseline.read_inputs(content, treatment, kind, lang, brand), inputs)
    script = ROOT / "benchmarks" / "baseline.py"
    handout = generate("handout", f"{treatment}/{kind}", "--brand", brand, "--lang", lang, "--layout", "standard",
                       "--content", content, "-o", tmp / "cold.pdf", "--force")
    bare = [sys.executable, str(script), "--json", str(inputs), str(tmp / "bare.pdf")]
    untagged = [sys.executable, str(ROOT / "benchmarks" / "untagged_handout.py"), *handout[2:]]
    no_cache = {**{k: v for k, v in ENV.items() if k != "PYTHONPYCACHEPREFIX"}, "PYTHONDONTWRITEBYTECODE": "1"}
    def measure() -> tuple[list[float], ...]:
        engine, hand, python, engine_nc, hand_nc, plain, cpu = [], [], [], [], [], [], {"e": [], "h": [], "u": []}
        for i in range(repeat + 1):
            (e, ec), (h, hc), p = run_cpu(handout, tmp), run_cpu(bare, tmp), run([sys.executable, "-c", "pass"], tmp)
            enc, hnc, (u, uc) = run(handout, tmp, env=no_cache), run(bare, tmp, env=no_cache), run_cpu(untagged, tmp)
            if i:  # the first round fills the bytecode and file caches
                engine.append(e)
                hand.append(h)
                python.append(p)
                engine_nc.append(enc)
                hand_nc.append(hnc)
                plain.append(u)
                for key, value in (("e", ec), ("h", hc), ("u", uc)):
                    cpu[key].append(value)
        return engine, hand, python, engine_nc, hand_nc, plain, cpu

    (engine, hand, python, engine_nc, hand_nc, plain, cpu), share = measured("cold", measure)
    ec, hc, uc = (median(cpu[key]) * 1000 for key in ("e", "h", "u"))
    e, h = median(engine), median(hand)
    report.add("cold: one `generate.py handout` process", f"{e / h:.2f}×",
               f"{e * 1000:.0f} ms against {h * 1000:.0f} ms for a bare reportlab script building the same story "
               f"(python alone {median(python) * 1000:.0f} ms); without a bytecode cache for the engine's modules "
               f"{median(engine_nc) * 1000:.0f} ms against {median(hand_nc) * 1000:.0f} ms, "
               f"{median(engine_nc) / median(hand_nc):.2f}×; CPU {ec:.0f} against {hc:.0f} ms ({ec / hc:.2f}×); the engine's PDF is "
               "tagged (PDF/UA-1), the script's is not",
               "≤ 1.15×", e / h <= 1.15, share)
    report.add("cold, like for like: the same process drawing the sheet untagged", f"{median(plain) / h:.2f}×",
               f"{median(plain) * 1000:.0f} ms against {h * 1000:.0f} ms; CPU {uc:.0f} against {hc:.0f} ms ({uc / hc:.2f}×) "
               "(benchmarks/untagged_handout.py: no marked content, no structure tree)",
               "≤ 1.15×", median(plain) / h <= 1.15, share)


def many_brands(report: Report, content: Path, tmp: Path, treatment: str, kind: str, lang: str, brand: str, count: int,
                repeat: int) -> None:
    """`generate.py handout` in a tree of the handout and its brand, against the same tree with `count` brands in all.

    The extra brands extend the chosen one (a name of their own each), as a group of clinics sharing one kit would.
    Alternating, median of `repeat` after a warm-up round; both with the private bytecode cache.
    """
    small, large = tmp / "brands-1", tmp / f"brands-{count}"
    minimal_tree(content, small, treatment, kind, lang, brand)
    shutil.copytree(small, large)
    for n in range(1, count - len(brand_chain(content, brand)) + 1):
        folder = large / "brands" / f"clinic-{n:04d}"
        folder.mkdir()
        (folder / "brand.yaml").write_text(f"extends: {brand}\nname: Clinic number {n}\n", encoding="utf-8")
    brands = sum(1 for p in (large / "brands").iterdir() if (p / "brand.yaml").is_file())

    def handout(tree: Path) -> list[str]:
        return generate("handout", f"{treatment}/{kind}", "--brand", brand, "--lang", lang, "--layout", "standard",
                        "--content", tree, "-o", tmp / "brands.pdf", "--force")

    def measure() -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
        one, many = [], []
        for i in range(repeat + 1):
            a, b = run_cpu(handout(small), tmp), run_cpu(handout(large), tmp)
            if i:
                one.append(a)
                many.append(b)
        return one, many

    (one, many), share = measured("brands", measure)
    cpu = median([c for _, c in many]) / median([c for _, c in one])
    report.add(f"`handout` in a {brands}-brand tree against a 1-brand tree", f"{cpu:.2f}×",
               f"CPU {median([c for _, c in many]) * 1000:.0f} ms against {median([c for _, c in one]) * 1000:.0f} ms; wall "
               f"{median([w for w, _ in many]) * 1000:.0f} ms against {median([w for w, _ in one]) * 1000:.0f} ms; median of {repeat}",
               "≤ 1.1×", cpu <= 1.1, share)


def memory(report: Report, tree: Path, tmp: Path, jobs: int) -> None:
    if not Path("/proc/self/status").exists():
        report.add("peak memory per worker", "n/a", "needs Linux /proc")
        return
    (main, workers), share = measured("memory", lambda: peak_memory(generate("build", "--content", tree, "--out", tmp / "mem",
                                                                               "--jobs", jobs, "--force"), tmp))
    count = pdf_count(tmp / "mem")
    worst = max(workers.values()) if workers else float("nan")
    report.add(f"peak memory per worker, {count} PDFs, --jobs {jobs}", f"{worst:.0f} MB",
               f"peak resident set of each worker: {', '.join(f'{v:.0f}' for v in sorted(workers.values()))} MB; "
               f"of the main process {main:.0f} MB", "< 150 MB", worst < 150, share)


# --- main --------------------------------------------------------------------------------------------------------------

def pick_handout(content: Path, wanted: str | None, lang: str, brand: str | None) -> tuple[str, str, str, str]:
    files = handout_files(content)
    if not files:
        raise SystemExit(f"{content}: no handouts found")
    if wanted:
        treatment, kind = wanted.split("/", 1)
    elif any(t == "microneedling" and p.name == f"aftercare.{lang}.yaml" for t, p in files):
        treatment, kind = "microneedling", "aftercare"
    else:
        treatment, name = files[0][0], files[0][1].name
        kind, lang = HANDOUT_FILE.match(name)["kind"], HANDOUT_FILE.match(name)["lang"]
    if not (content / treatment / f"{kind}.{lang}.yaml").is_file():
        raise SystemExit(f"{content}: there is no {treatment}/{kind}.{lang}.yaml")
    brands = sorted(p.name for p in (content / "brands").iterdir() if (p / "brand.yaml").is_file())
    return treatment, kind, lang, brand or ("default" if "default" in brands else brands[0])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR", help="the content tree (default: the repository's)")
    parser.add_argument("--quick", action="store_true", help="one build of each kind, catalogues of 10 and 100 PDFs only (about a minute)")
    parser.add_argument("--handout", metavar="TREATMENT/KIND", help="the handout of the warm and cold lines (default: microneedling/aftercare)")
    parser.add_argument("--lang", default="en", help="its language (default: en)")
    parser.add_argument("--brand", help="its brand (default: default, else the first)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of the parallel lines (default: 2)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args()
    content = args.content.resolve()
    treatment, kind, lang, brand = pick_handout(content, args.handout, args.lang, args.brand)
    repeat = 5 if args.quick else 20
    builds = 1 if args.quick else 3
    sizes = (10, 100) if args.quick else (10, 100, 600)
    report = Report()
    print(f"machine: {machine()}", file=sys.stderr)
    if not Background.wait_quiet(timeout=60):
        print("  other processes keep the CPUs busy; lines measured while they do are marked", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as name:
        tmp = Path(name)
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(tmp / "bytecode")
        ENV["HANDOUTS_CACHE"] = os.environ["HANDOUTS_CACHE"] = str(tmp / "cache")  # kept YAML trees: private, filled by the first round
        run(generate("list", "--content", content), tmp)  # fills the bytecode cache
        peers = warm(report, content, tmp, treatment, kind, lang, brand, repeat)
        tagging(report, content, treatment, kind, lang, brand, max(5, repeat // 2))

        catalogues: list[tuple[str, Path, bool]] = [(f"{content.name}/", content, False)]
        for size in sizes:
            synthetic_tree(content, tmp / f"catalogue-{size}", size)
            catalogues.append(("synthetic", tmp / f"catalogue-{size}", True))
        same = tmp / f"same-sheet-{sizes[-1]}"
        same_sheet_tree(content, same, sizes[-1], treatment, kind, lang, brand)
        results = []
        for label, tree, synthetic in catalogues:
            # The largest catalogue is built once at each N even in a full run: it takes half a minute.
            done, share = catalogue_builds(tree, tmp, tree.name, args.jobs, 1 if tree.name.endswith(f"-{sizes[-1]}") and sizes[-1] > 100 else builds)
            results.append((label, done, share, synthetic))
            print(f"  built {label} {done}", file=sys.stderr, flush=True)
        for label, b, share, _ in results:
            report.add(f"build {label} ({b.count} PDFs): --jobs {args.jobs} against --jobs 1", f"{b.one / b.many:.2f}×",
                       f"{b.many:.2f} s against {b.one:.2f} s ({b.many * 1000 / b.count:.1f} and {b.one * 1000 / b.count:.1f} ms per PDF)",
                       f"≥ 1.7× on {os.cpu_count()} cores", b.one / b.many >= 1.7 if args.jobs == 2 else None, share)
        label, b, share, _ = results[-1]
        per_page = b.many * 1000 / b.pages
        report.add(f"catalogue of {b.count} PDFs, --jobs {args.jobs}: per page against Typst", f"{per_page / peers.typst:.2f}×",
                   f"{per_page:.1f} ms a page ({b.pages} pages in {b.many:.2f} s, every process included) against Typst's "
                   f"{peers.typst:.1f} ms a page in one process (wall, the sheet of the warm line)", "≤ 1.00×", per_page <= peers.typst, share)
        done, share = catalogue_builds(same, tmp, same.name, args.jobs, 1)
        print(f"  built the same sheet {done}", file=sys.stderr, flush=True)
        per_page = done.many * 1000 / done.pages
        report.add(f"catalogue of {done.count} copies of the warm line's sheet, --jobs {args.jobs}: per page against Typst",
                   f"{per_page / peers.typst:.2f}×",
                   f"{per_page:.1f} ms a page ({done.pages} pages in {done.many:.2f} s, every process included, web copies too; "
                   f"--jobs 1 {done.one:.2f} s, {done.one / done.many:.2f}× as long) against Typst's {peers.typst:.1f} ms a page "
                   f"of the same sheet in one process", "≤ 1.00×", per_page <= peers.typst, share)
        for label, b, share, _ in results:
            report.add(f"no-op rebuild {label} ({b.count} PDFs)", f"{b.noop / b.many * 100:.1f}%",
                       f"{b.noop * 1000:.0f} ms against {b.many:.2f} s for the full --jobs {args.jobs} build", "≤ 8%", b.noop / b.many <= 0.08, share)

        cold(report, content, tmp, treatment, kind, lang, brand, 3 if args.quick else 7)
        many_brands(report, content, tmp, treatment, kind, lang, brand, 500, 3 if args.quick else 7)
        memory(report, tmp / f"catalogue-{sizes[-1]}", tmp, args.jobs)

        synthetic = [(b.count, b.many, b.one) for _, b, _, s in results if s]
        for count, many, one in synthetic:
            report.add(f"scaling: {count} PDFs", f"{many * 1000 / count:.1f} ms/PDF",
                       f"--jobs {args.jobs} {many:.2f} s; --jobs 1 {one:.2f} s ({one * 1000 / count:.1f} ms/PDF)")
        if len(synthetic) >= 3:
            (n0, t0, _), (n1, t1, _), (n2, t2, _) = synthetic[-3:]
            low, high = (t1 - t0) / (n1 - n0) * 1000, (t2 - t1) / (n2 - n1) * 1000
            report.add("scaling: cost of one more PDF", f"{high / low:.2f}",
                       f"{high:.1f} ms each from {n1} to {n2} PDFs, {low:.1f} ms each from {n0} to {n1} (--jobs {args.jobs})",
                       "≈ 1: linear", 0.8 <= high / low <= 1.25)
        elif len(synthetic) == 2:
            (n0, t0, _), (n1, t1, _) = synthetic
            report.add("scaling: cost of one more PDF", f"{(t1 - t0) / (n1 - n0) * 1000:.1f} ms",
                       f"from {n0} to {n1} PDFs (--quick has no 1,000-PDF run to compare with)")
    print(report.table(machine(), sys.argv[1:]))
    if args.json:
        args.json.write_text(json.dumps({"machine": machine(), "rows": [r.__dict__ for r in report.rows]}, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
