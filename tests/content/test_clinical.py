"""Clinical sign-off and safe content: approval records tied to the words, the reviewer's diff, the clinical editor's
lints, the 'when can I' table, and the corrected microneedling sheets read back from their PDFs.

Every test that changes content works on a copy of the shipped tree in tmp_path, run from there with `--content content`,
so paths in messages read exactly as a clinic would see them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader

from conftest import CONTENT, assert_in_order, copy_content, page_texts, pdf_text
from handouts import blocks as b
from handouts.content import load_catalogue
from handouts.inline import plain
from handouts.json_schemas import schemas
from handouts.pemat import lint_plain_language
from handouts.safety import lint_safety

TODAY = dt.date.today().isoformat()
AFTERCARE = "content/microneedling/aftercare.en.yaml"
HANDOUTS = [(kind, lang) for kind in ("pre-treatment", "aftercare", "overview") for lang in ("en", "es")]
EN_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ES_DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
ES_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
LONG_NAME = "Maximiliana Fernández-Castellanos de la Vega"
LONG_PROVIDER = "Dr Alexandra Montgomery-Whitfield"


@pytest.fixture
def run(run):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201 - conftest's run fixture
    """generate.py's main in-process, with `check` proving the standard layout only: these tests are about approvals,
    which are the same in every layout, and the proof of every layout is tested with the shipped catalogue."""
    def _run(*args: object) -> object:
        return run(*args, "--layout", "standard") if args and args[0] == "check" else run(*args)
    return _run


@pytest.fixture
def shipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shared_proof_cache: Path) -> Path:
    """A writable copy of the shipped content tree, with tmp_path as the current folder.

    Its brands print English, Spanish and one translation (Vietnamese): the other translations add time, not cases, to these
    tests (the shipped catalogue's proof covers them). The tests
    share one proof cache: each proves again only the sheets its edits change.
    """
    copy_content(tmp_path / "content", ("en", "es", "vi"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HANDOUTS_CACHE", str(shared_proof_cache))
    return Path("content")


def approve_all(run, by: str = "Dr Lee", *extra: str) -> None:  # noqa: ANN001 - the run fixture
    """Approve every shipped handout file."""
    for kind, lang in HANDOUTS:
        result = run("approve", f"microneedling/{kind}", "--lang", lang, "--by", by, "--content", "content", *extra)
        assert result.code == 0, result.err


def edit(path: Path | str, old: str, new: str) -> None:
    """Replace one exact piece of a file's text (which must be there once)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is in {path} {text.count(old)} times"
    path.write_text(text.replace(old, new), encoding="utf-8")


def short(day: dt.date, days: tuple[str, ...], months: tuple[str, ...], order: str) -> str:
    """An independent spelling of a short date."""
    w, m = days[day.weekday()], months[day.month - 1]
    return f"{w} {m} {day.day}" if order == "mdy" else f"{w} {day.day} {m}"


# --- approval records --------------------------------------------------------------------------------------------------

@pytest.mark.timeout(240)  # three whole checks, each proving every layout (Lumen's with and without its web copy's code)
def test_one_changed_word_fails_check_with_the_exact_message_until_it_is_approved_again(run, shipped: Path) -> None:
    approve_all(run, "Dr Lee", "--role", "Medical director")
    result = run("check", "--content", "content")
    assert result.code == 0 and "not approved" not in result.err, result.err
    record = Path("content/microneedling/approved/aftercare.en.yaml").read_text(encoding="utf-8")
    assert record.startswith("# Clinical approvals of microneedling/aftercare.en.yaml,")  # no machine's folder in a reviewed file
    assert '    by: "Dr Lee"\n    role: "Medical director"\n' in record

    edit(AFTERCARE, "the treated skin with a gentle cleanser", "the treated skin with a mild cleanser")
    result = run("check", "--content", "content")
    assert result.code == 1
    message = f"{AFTERCARE}: changed since approved on {TODAY} by Dr Lee; run 'generate.py diff' and approve it again"
    assert message in result.err.splitlines(), result.err
    assert [line for line in result.err.splitlines() if "changed since approved" in line] == [message]

    # The same version with other words is refused: the revision line would not tell the two texts apart.
    again = run("approve", "microneedling/aftercare", "--by", "Dr Lee", "--content", "content")
    assert again.code == 1
    version_line = Path(AFTERCARE).read_text(encoding="utf-8").splitlines().index('version: "4"') + 1
    assert (f"{AFTERCARE}:{version_line}: version: '4' was approved on {TODAY} by Dr Lee with other words (raise the version (e.g. \"5\") "
            "so the printed revision line tells the two texts apart, then approve)") in again.err.splitlines(), again.err
    # Version 5 leaves the translations of version 4 stale (the gate that refuses them is tested with the languages).
    for translated in Path(AFTERCARE).parent.glob("aftercare.*.yaml"):
        if translated.name.split(".")[1] not in ("en", "es"):
            translated.unlink()
    edit(AFTERCARE, 'version: "4"', 'version: "5"')
    again = run("approve", "microneedling/aftercare", "--by", "Dr Ruiz", "--role", "Dermatologist", "--content", "content")
    assert again.code == 0, again.err
    assert "version 5" in again.out and "microneedling/approved/aftercare.en.yaml" in again.out
    result = run("check", "--content", "content")
    assert result.code == 0, result.err
    assert "changed since approved" not in result.err
    body = Path("content/microneedling/approved/aftercare.en.yaml").read_text(encoding="utf-8")
    assert body.count("  - version:") == 2 and body.index('"Dr Lee"') < body.index('"Dr Ruiz"'), "the history is kept, newest last"
    nothing = run("approve", "microneedling/aftercare", "--by", "Dr Ruiz", "--content", "content")
    assert nothing.code == 0 and "already approved" in nothing.out
    assert Path("content/microneedling/approved/aftercare.en.yaml").read_text(encoding="utf-8") == body


@pytest.mark.timeout(240)  # two whole checks, each proving every layout in three languages
def test_a_brand_setting_that_changes_a_printed_number_needs_approval_for_that_brand(run, shipped: Path, tmp_path: Path) -> None:
    approve_all(run)
    brand = Path("content/brands/lumen/brand.yaml")
    edit(brand, 'settings: {makeup_wait_hours: "48"}', 'settings: {makeup_wait_hours: "72"}')
    line = brand.read_text(encoding="utf-8").splitlines().index('settings: {makeup_wait_hours: "72"}') + 1
    result = run("check", "--content", "content")
    assert result.code == 1
    for lang in ("en", "es"):
        assert (f"{brand}:{line}: settings.makeup_wait_hours: '72' changes what content/microneedling/aftercare.{lang}.yaml prints for "
                f"lumen, and that text is not approved (run 'generate.py diff microneedling/aftercare --lang {lang} --brand lumen' and "
                "approve it again)") in result.err.splitlines(), result.err
    assert "changed since approved" not in result.err, "the default text is still the approved one"
    # On paper: lumen's sheet says it is a draft, the default brand's sheet keeps its approval.
    for slug, revision in (("lumen", "Version 4 · Draft, not approved"), ("default", f"Version 4 · Reviewed {TODAY}")):
        out = tmp_path / f"{slug}.pdf"
        assert run("handout", "microneedling/aftercare", "--brand", slug, "--content", "content", "-o", out).code == 0
        assert all(revision in page for page in page_texts(out)), slug
    for lang in ("en", "es"):
        assert run("approve", "microneedling/aftercare", "--lang", lang, "--by", "Dr Lee", "--content", "content").code == 0
    result = run("check", "--content", "content")
    assert result.code == 0, result.err


def test_the_revision_line_and_the_manifest_come_from_the_record(run, shipped: Path, tmp_path: Path) -> None:
    approve_all(run, "Dr Lee", "--date", "2026-10-15")
    # A date typed in the front matter is not what prints; check says it disagrees with the record.
    edit(AFTERCARE, 'version: "4"\n', 'version: "4"\nreviewed: "2020-01-01"\n')
    line = Path(AFTERCARE).read_text(encoding="utf-8").splitlines().index('reviewed: "2020-01-01"') + 1
    result = run("check", "--content", "content")
    assert result.code == 0
    assert (f"{AFTERCARE}:{line}: warning: reviewed: '2020-01-01' disagrees with the approval record (2026-10-15 by Dr Lee, in "
            "content/microneedling/approved/aftercare.en.yaml) (remove 'reviewed': the sheet prints the record's)") in result.err.splitlines()
    out = tmp_path / "out"
    assert run("build", "--content", "content", "--out", out, "--brand", "default", "--jobs", "1").code == 0
    pages = page_texts(out / "default/microneedling-aftercare.en.standard.pdf")
    assert pages and all("Version 4 · Reviewed 2026-10-15" in page for page in pages)
    assert all("Versión 4 · Revisado 2026-10-15" in page for page in page_texts(out / "default/microneedling-aftercare.es.standard.pdf"))
    manifest = json.loads((out / "manifest.json").read_text())["handouts"]
    assert {entry["reviewed"] for entry in manifest if entry["language"] in ("en", "es")} == {"2026-10-15"}
    assert {entry["reviewed"] for entry in manifest if entry["language"] not in ("en", "es")} == {""}  # translations not yet reviewed


def test_approving_rebuilds_the_pdfs_whose_revision_line_changes(run, shipped: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("build", "--content", "content", "--out", out, "--brand", "default", "--lang", "en", "--jobs", "1").code == 0
    sheet = out / "default/microneedling-overview.en.standard.pdf"
    assert "Version 4 · Draft, not approved" in pdf_text(sheet)
    assert run("approve", "microneedling/overview", "--by", "Dr Lee", "--content", "content").code == 0
    result = run("build", "--content", "content", "--out", out, "--brand", "default", "--lang", "en", "--jobs", "1")
    assert result.code == 0
    assert f"Version 4 · Reviewed {TODAY}" in pdf_text(sheet)
    assert "Version 4 · Draft, not approved" in pdf_text(out / "default/microneedling-aftercare.en.standard.pdf")


@pytest.mark.timeout(240)  # two whole checks, each proving every language and layout of tagged sheets
def test_once_a_tree_keeps_records_a_handout_without_one_is_an_error(run, shipped: Path, tmp_path: Path) -> None:
    result = run("check", "--content", "content")
    assert result.code == 0
    assert (f"{AFTERCARE}: warning: not approved, and the sheet says so (run 'generate.py diff microneedling/aftercare --lang en', "
            "then 'generate.py approve microneedling/aftercare --lang en --by NAME')") in result.err.splitlines()
    assert run("approve", "microneedling/overview", "--by", "Dr Lee", "--content", "content").code == 0
    result = run("check", "--content", "content")
    assert result.code == 1
    assert (f"{AFTERCARE}: not approved: no clinician has approved this text (run 'generate.py diff microneedling/aftercare --lang en', "
            "then 'generate.py approve microneedling/aftercare --lang en --by NAME')") in result.err.splitlines(), result.err
    assert "content/microneedling/overview.en.yaml: not approved" not in result.err


def test_review_expiry_reads_the_record(run, shipped: Path) -> None:
    approve_all(run, "Dr Lee", "--date", "2020-01-15")
    today = dt.date.today()
    months = (today.year - 2020) * 12 + today.month - 1 - (today.day < 15)
    result = run("check", "--content", "content")
    assert result.code == 0
    assert ("content/microneedling/approved/aftercare.en.yaml:6: warning: reviewed 2020-01-15, "
            f"{months} months ago (a clinical review at least every 24 months)") in result.err.splitlines(), result.err


def test_a_tree_without_records_keeps_the_typed_review_date_with_a_warning(run, tree: Path, tmp_path: Path) -> None:
    result = run("check", "--content", tree)
    assert result.code == 0
    assert (f"{tree}/demo/aftercare.en.yaml:7: warning: reviewed 2026-11-01 is typed by hand, not tied to the words (an approval "
            "record: run 'generate.py diff demo/aftercare --lang en', then 'generate.py approve demo/aftercare --lang en --by NAME')"
            ) in result.err.splitlines()
    out = tmp_path / "sheet.pdf"
    assert run("handout", "demo/aftercare", "--brand", "plain", "--content", tree, "-o", out).code == 0
    assert "Version 7 · Reviewed 2026-11-01" in pdf_text(out)


def test_approve_refuses_bad_input_and_check_reports_a_damaged_record(run, shipped: Path) -> None:
    for args, message in (
        (["--by", "  "], "error: --by: is empty (expected the approver's name)"),
        (["--by", "Dr Lee", "--date", "2999-01-01"], f"error: --date: '2999-01-01' is not a date up to today (expected YYYY-MM-DD, e.g. {TODAY})"),
        (["--by", "Dr\x07Lee"], "error: --by: contains control characters (expected a name as it should be recorded)"),
    ):
        result = run("approve", "microneedling/aftercare", "--content", "content", *args)
        assert result.code == 2 and result.err.strip() == message, result.err
    result = run("approve", "microneedling/aftercare", "--lang", "fr", "--by", "Dr Lee", "--content", "content")
    assert result.code == 2 and "error: there is no handout microneedling/aftercare in 'fr'" in result.err
    assert not Path("content/microneedling/approved").exists(), "nothing is written when approval is refused"
    approve_all(run)
    record = Path("content/microneedling/approved/aftercare.en.yaml")
    text = record.read_text(encoding="utf-8")
    digest = re.search(r'sha256: "([0-9a-f]{64})"', text).group(1)
    record.write_text(text.replace(digest, "0" * 63 + "x", 1), encoding="utf-8")
    line = next(n for n, l in enumerate(record.read_text(encoding="utf-8").splitlines(), 1) if "0" * 63 + "x" in l)
    result = run("check", "--content", "content")
    assert result.code == 1 and "Traceback" not in result.err
    assert f"{record}:{line}: approvals[0].variants[0].sha256: is not a sha256 (64 hexadecimal digits)" in result.err.splitlines(), result.err
    assert (f"{AFTERCARE}: not approved: no clinician has approved this text") in result.err


# --- the reviewer's diff ---------------------------------------------------------------------------------------------

def test_diff_shows_the_old_and_new_words_and_its_pdf_and_html_read_back(run, shipped: Path, tmp_path: Path) -> None:
    approve_all(run)
    edit(AFTERCARE, "the treated skin with a gentle cleanser", "the treated skin with a mild cleanser")
    edit(AFTERCARE, "        - Most people can go back to work right away.\n", "")
    # A changed sentence next to a new one: the alike pair is shown as one change, the other as added.
    edit(AFTERCARE, "        - Do not wear makeup for {settings.makeup_wait_hours} hours.\n",
         "        - Do not wear any makeup for {settings.makeup_wait_hours} hours.\n        - Sleep on a clean pillowcase.\n")
    result = run("diff", "microneedling/aftercare", "--content", "content", "--color", "never", "-o", tmp_path / "diff.pdf")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[:4] == [f"microneedling/aftercare (en): {AFTERCARE}", f"  approved: version 4 on {TODAY} by Dr Lee",
                         "  now:      version 4, not approved", "  not approved as printed for: settings defaults, brand lumen"]
    assert "  Wash and moisturize › Steps" in lines
    assert ("    changed: Then wash the treated skin with a [-gentle-] {+mild+} cleanser and lukewarm water, using your fingertips."
            in lines), result.out
    assert "    removed: [-Most people can go back to work right away.-]" in lines
    assert lines[lines.index("  Key points") + 1:lines.index("  Key points") + 3] == [
        "    changed: Do not wear {+any+} makeup for 24 hours.", "    added:   {+Sleep on a clean pillowcase.+}"], result.out
    assert sum(1 for line in lines if line.startswith("    ")) == 4, "only what changed is listed"
    text = pdf_text(tmp_path / "diff.pdf")
    assert_in_order(text, ["Changes to approve: Caring for your skin after microneedling", "Approved before: version 4",
                           "Then wash the treated skin with a", "gentle", "mild", "cleanser", "Most people can go back to work right away.",
                           "I have read these changes", "Name", "Role", "Signature", "Date"])
    assert "Page 1 of 1" in text
    assert len(PdfReader(tmp_path / "diff.pdf").pages) == 1
    assert run("diff", "microneedling/aftercare", "--content", "content", "-o", tmp_path / "diff.html").code == 0
    page = (tmp_path / "diff.html").read_text(encoding="utf-8")
    assert "with a <del>gentle</del> <ins>mild</ins> cleanser" in page and '<html lang="en">' in page


def test_diff_shows_each_setting_change_with_its_effect_on_the_text(run, shipped: Path) -> None:
    approve_all(run)
    edit("content/microneedling/settings.yaml", 'default: "30"\n  description: Lowest sun', 'default: "50"\n  description: Lowest sun')
    edit("content/brands/lumen/brand.yaml", 'settings: {makeup_wait_hours: "48"}', 'settings: {makeup_wait_hours: "72"}')
    result = run("check", "--content", "content")
    assert f"{AFTERCARE}: changed since approved on {TODAY} by Dr Lee; run 'generate.py diff' and approve it again" in result.err
    result = run("diff", "microneedling/aftercare", "--content", "content", "--color", "never")
    assert result.code == 0
    out = result.out
    assert "What patients read differently" not in out, "no wording changed, only settings"
    assert_in_order(out, ["Settings:", "  spf (settings defaults): from 30 to 50",
                          "changed: Every day, use a mineral sunscreen (with zinc or titanium), SPF [-30-] {+50+} or higher.",
                          "  makeup_wait_hours (brand lumen): from 48 to 72",
                          "changed: Do not wear makeup for [-48-] {+72+} hours."])
    only_default = run("diff", "microneedling/aftercare", "--content", "content", "--color", "never", "--brand", "default")
    assert "brand lumen" not in only_default.out and "spf (settings defaults)" in only_default.out


def test_diff_since_a_version_or_date_and_an_unknown_one(run, shipped: Path) -> None:
    approve_all(run, "Dr Lee", "--date", "2026-10-01")
    edit(AFTERCARE, "the treated skin with a gentle cleanser", "the treated skin with a mild cleanser")
    edit(AFTERCARE, 'version: "4"', 'version: "5"')
    assert run("approve", "microneedling/aftercare", "--by", "Dr Ruiz", "--content", "content").code == 0
    latest = run("diff", "microneedling/aftercare", "--content", "content", "--color", "never")
    assert "Nothing a patient reads has changed." in latest.out
    for since in ("4", "2026-10-01"):
        older = run("diff", "microneedling/aftercare", "--since", since, "--content", "content", "--color", "never")
        assert older.code == 0 and "[-gentle-] {+mild+}" in older.out, older.out
    unknown = run("diff", "microneedling/aftercare", "--since", "9", "--content", "content")
    assert unknown.code == 2
    assert unknown.err.strip() == (f"error: no approval of {AFTERCARE} matches '9' (approvals: version 5 on {TODAY} by Dr Ruiz; "
                                   "version 4 on 2026-10-01 by Dr Lee)")


def test_diff_without_any_approval_lists_every_sentence_as_new(run, shipped: Path) -> None:
    result = run("diff", "microneedling/overview", "--lang", "es", "--content", "content", "--color", "never")
    assert result.code == 0
    assert "  approved: never" in result.out and "No approval yet: every sentence is new." in result.out
    assert "    added:   {+Como todo tratamiento, tiene riesgos.+}" in result.out.splitlines()


def test_a_diff_sheet_of_several_pages_is_written_whole_with_its_page_count(run, shipped: Path, tmp_path: Path) -> None:
    result = run("diff", "microneedling/aftercare", "--content", "content", "-o", tmp_path / "diff.pdf")
    assert result.code == 0, result.err
    pages = page_texts(tmp_path / "diff.pdf")
    assert len(pages) >= 3
    assert all(f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, 1))
    assert "I have read these changes and approve version 4 as patients will read it. Name Role Signature Date" in pages[-1]


# --- the clinical editor's lints ---------------------------------------------------------------------------------------

BAD_AFTERCARE = """  - do_dont:
      do: [Rest.]
      dont: ["Wear makeup for {settings.makeup_wait_hours} hours.", Do not pick your skin.]
  - timeline:
      - {days: "0", text: Red skin.}
  - callout:
      tone: urgent
      title: Call us right away if you have
      items: ["Redness that gets worse after day {settings.flaking_days}.", A fever.]
"""
BAD_SPANISH = """  - do_dont:
      do: [Descanse.]
      dont: ["Usar maquillaje durante {settings.makeup_wait_hours} horas.", Evite el sol.]
  - timeline:
      - {days: "0", text: Piel roja.}
  - callout: {tone: urgent, title: Llámenos si tiene, items: [Enrojecimiento que empeora después del día 3.]}
"""


def _replace_blocks(path: Path, blocks: str) -> int:
    """Put these blocks in place of the handout's blocks and card; return the line of the first one."""
    text = path.read_text(encoding="utf-8")
    head = text[:text.index("blocks:\n")]
    path.write_text(head + "blocks:\n" + blocks, encoding="utf-8")
    return head.count("\n") + 2


def test_each_lint_fires_on_a_bad_example(run, shipped: Path) -> None:
    first = _replace_blocks(Path(AFTERCARE), BAD_AFTERCARE)
    spanish = "content/microneedling/aftercare.es.yaml"
    first_es = _replace_blocks(Path(spanish), BAD_SPANISH)
    edit("content/microneedling/settings.yaml", "  description: Hours after treatment before makeup may be worn\n  source: clinic protocol\n",
         "  description: Hours after treatment before makeup may be worn\n")
    result = run("check", "--content", "content")
    lines = result.err.splitlines()
    expected = [
        f"{AFTERCARE}:{first + 2}: warning: blocks[0].do_dont.dont[0]: 'Wear makeup for {{settings.makeup_wait_hours}} hours.' reads as an "
        "order, not a prohibition (start it with 'Do not', 'Never' or 'Avoid': a column heading is lost when the item is read aloud, "
        "copied or read on its own)",
        f"{AFTERCARE}:{first + 3}: warning: blocks[1].timeline: the timeline does not say what day 0 is (a line in it or just before it "
        "such as 'Day 0 is your treatment day')",
        f"{AFTERCARE}:{first + 5}: warning: blocks[2].callout: an urgent list without an emergency line (a line such as "
        "'Call {settings.emergency_number} now if you have trouble breathing' in the box or right beside it)",
        f"{AFTERCARE}:{first + 8}: warning: blocks[2].callout.items[0]: 'after day {{settings.flaking_days}}' in an urgent list leaves out "
        "the days before it (a sign that needs a call on any day, e.g. 'gets worse instead of better')",
        f"{AFTERCARE}:{first + 2}: warning: blocks[0].do_dont.dont[0]: prints settings.makeup_wait_hours ('24'), which has no source, "
        "though this handout cites sources (source: under makeup_wait_hours in content/microneedling/settings.yaml (a citation, or "
        "\"clinic protocol\"))",
        f"{spanish}:{first_es + 2}: warning: blocks[0].do_dont.dont[0]: 'Usar maquillaje durante {{settings.makeup_wait_hours}} horas.' "
        "reads as an order, not a prohibition (start it with 'No', 'Nunca' or 'Evite': a column heading is lost when the item is read "
        "aloud, copied or read on its own)",
        f"{spanish}:{first_es + 5}: warning: blocks[2].callout.items[0]: 'después del día 3' in an urgent list leaves out the days before "
        "it (a sign that needs a call on any day, e.g. 'gets worse instead of better')",
        f"{spanish}:{first_es + 5}: warning: blocks[2].callout: an urgent list without an emergency line (a line such as "
        "'Llame al {settings.emergency_number} ahora si le cuesta respirar' in the box or right beside it)",
        f"{spanish}:{first_es + 3}: warning: blocks[1].timeline: the timeline does not say what day 0 is (a line in it or just before it "
        "such as 'El día 0 es el día de su tratamiento')",
    ]
    assert [line for line in expected if line not in lines] == [], result.err
    # The good items next to the bad ones are left alone.
    assert "dont[1]" not in result.err


def test_no_lint_fires_on_the_shipped_content() -> None:
    catalogue = load_catalogue(CONTENT)
    # Only the translations no clinician has reviewed yet, which their sheets say.
    assert [str(p) for p in catalogue.problems if "translation not yet reviewed" not in p.message] == []
    assert [str(p) for p in lint_safety(catalogue)] == []
    assert [str(p) for p in lint_plain_language(catalogue)] == []


# --- the shipped sheets, read back -------------------------------------------------------------------------------------

PROHIBITION = {"en": ("Do not ", "Avoid ", "Never "), "es": ("No ", "Evite ", "Nunca ")}  # independent of the lint's own list


@pytest.mark.parametrize("lang", ["en", "es"])
def test_shipped_sheets_read_back_with_prohibitions_the_emergency_line_and_risks(run, shipped: Path, tmp_path: Path, lang: str) -> None:
    catalogue = load_catalogue(shipped)
    settings = catalogue.treatments["microneedling"].settings
    texts = {}
    for kind, layout in (("aftercare", "standard"), ("aftercare", "card"), ("pre-treatment", "standard"), ("overview", "standard")):
        out = tmp_path / f"{kind}-{layout}.pdf"
        assert run("handout", f"microneedling/{kind}", "--brand", "default", "--lang", lang, "--layout", layout,
                   "--content", "content", "-o", out).code == 0
        texts[(kind, layout)] = pdf_text(out)
    donts = 0
    for handout in (h for h in catalogue.handouts if h.language == lang):
        for _, block in handout.every_block:
            for rich in block.dont if isinstance(block, b.DoDont) else []:
                item = plain(list(rich.spans)).replace("{settings.makeup_wait_hours}", settings["makeup_wait_hours"])
                assert item.startswith(PROHIBITION[lang]), item
                layouts = [text for (kind, _), text in texts.items() if kind == handout.kind]
                assert any(item in text for text in layouts), f"{item!r} is not on the {handout.kind} sheet"
                donts += 1
    assert donts >= 2
    emergency = {"en": "Call 911 now if you have trouble breathing", "es": "Llame al 911 ahora si le cuesta respirar"}[lang]
    for layout in ("standard", "card"):
        assert emergency in texts[("aftercare", layout)], layout
    assert {"en": "Risks and side effects", "es": "Riesgos y efectos secundarios"}[lang] in texts[("overview", "standard")]
    day_zero = {"en": "Day 0 is your treatment day", "es": "El día 0 es el día de su tratamiento"}[lang]
    assert day_zero in texts[("aftercare", "standard")]
    assert {"en": "Day 0 is the day of your treatment", "es": "El día 0 es el día de su tratamiento"}[lang] in texts[("aftercare", "card")]


# --- the 'when can I' table ---------------------------------------------------------------------------------------------

def test_the_when_can_i_table_turns_waits_into_dates_on_a_personalised_sheet(run, shipped: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank.pdf"
    assert run("handout", "microneedling/aftercare", "--brand", "default", "--content", "content", "-o", blank).code == 0
    assert_in_order(pdf_text(blank), ["When can I…", "Wait", "From", "Wear makeup", "24 hours", "Day 1",
                                      "Exercise hard, swim, or use a sauna or hot tub", "48 hours", "Day 2",
                                      "benzoyl peroxide", "5 days", "Day 5", "prescription retinoid", "7 days", "Day 7",
                                      "Hours count from the end of your treatment."])
    treat = dt.date(2026, 12, 31)
    sheet = tmp_path / "sheet.pdf"
    assert run("handout", "microneedling/aftercare", "--brand", "default", "--content", "content", "-o", sheet,
               "--patient", LONG_NAME, "--date", treat.isoformat(), "--provider", LONG_PROVIDER).code == 0
    day = lambda n: short(treat + dt.timedelta(days=n), EN_DAYS, EN_MONTHS, "mdy")  # noqa: E731
    assert (day(1), day(2), day(5), day(7)) == ("Fri Jan 1", "Sat Jan 2", "Tue Jan 5", "Thu Jan 7")
    assert_in_order(pdf_text(sheet), ["Wear makeup", "24 hours", day(1), "48 hours", day(2), "5 days", day(5), "7 days", day(7)])
    # Lumen waits 48 hours before makeup: the row moves to day 2; an A4 brand writes the day first, in Spanish.
    hoja = tmp_path / "hoja.pdf"
    assert run("handout", "microneedling/aftercare", "--brand", "lumen", "--lang", "es", "--content", "content", "-o", hoja,
               "--date", treat.isoformat()).code == 0
    dia = lambda n: short(treat + dt.timedelta(days=n), ES_DAYS, ES_MONTHS, "dmy")  # noqa: E731
    assert_in_order(pdf_text(hoja), ["¿Cuándo puedo…?", "Espere", "Desde", "Maquillarme", "48 horas", dia(2), "48 horas", dia(2),
                                     "5 días", dia(5), "7 días", dia(7), "Las horas se cuentan desde el final de su tratamiento."])


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_the_table_prints_whole_in_every_layout_blank_and_personalised(run, shipped: Path, tmp_path: Path, lang: str, page_size: str) -> None:
    from handouts.layouts import LAYOUTS

    brand = "default" if page_size == "letter" else "lumen"
    header = {"en": "When can I…", "es": "¿Cuándo puedo…?"}[lang]
    makeup = {"en": "Wear makeup", "es": "Maquillarme"}[lang]
    for layout in sorted(LAYOUTS):
        for patient in ([], ["--patient", LONG_NAME, "--date", "2026-12-29", "--provider", LONG_PROVIDER, "--follow-up", "2027-01-26"]):
            out = tmp_path / f"{layout}-{bool(patient)}.pdf"
            result = run("handout", "microneedling/aftercare", "--brand", brand, "--lang", lang, "--layout", layout, "--content", "content",
                         "-o", out, "--force", *patient)
            assert result.code == 0, result.err
            text = pdf_text(out)
            assert header in text and makeup in text, (layout, patient)
            if patient:  # the row of acids and retinol: 5 days after Tue Dec 29, 2026, written the brand's way
                assert {("en", "letter"): "Sun Jan 3", ("es", "letter"): "dom ene 3", ("en", "a4"): "Sun 3 Jan",
                        ("es", "a4"): "dom 3 ene"}[(lang, page_size)] in text, layout
            pages = len(PdfReader(out).pages)
            assert pages <= {"card": 2, "trifold": 2, "large-print": 8}.get(layout, 2), (layout, pages)


def test_the_table_is_checked_when_it_is_read(run, shipped: Path) -> None:
    first = _replace_blocks(Path(AFTERCARE), """  - when_can_i:
      rows:
        - {what: Wear makeup, hours: soon}
        - {what: Swim, hours: "2", days: "1"}
        - {what: Run}
""")
    brand = Path("content/brands/lumen/brand.yaml")
    edit(brand, 'settings: {makeup_wait_hours: "48"}', 'settings: {makeup_wait_hours: "two"}')
    result = run("check", "--content", "content")
    assert result.code == 1 and "Traceback" not in result.err
    for line in (f"{AFTERCARE}:{first + 2}: blocks[0].when_can_i.rows[0].hours: 'soon' is not a number of hours (a whole number from 0 to 9600, e.g. \"24\")",
                 f"{AFTERCARE}:{first + 3}: blocks[0].when_can_i.rows[1]: has both 'hours' and 'days' (one of them, e.g. hours: \"24\" or days: \"5\")",
                 f"{AFTERCARE}:{first + 4}: blocks[0].when_can_i.rows[2]: has neither 'hours' nor 'days' (one of them, e.g. hours: \"24\" or days: \"5\")"):
        assert line in result.err.splitlines(), result.err
    _replace_blocks(Path(AFTERCARE), "  - when_can_i:\n      rows:\n        - {what: Wear makeup, hours: \"{settings.makeup_wait_hours}\"}\n")
    result = run("check", "--content", "content")
    setting = brand.read_text(encoding="utf-8").splitlines().index('settings: {makeup_wait_hours: "two"}') + 1
    assert (f"{brand}:{setting}: settings.makeup_wait_hours: 'two' is not a number of hours, and '{{settings.makeup_wait_hours}}' in "
            f"{AFTERCARE}:{first + 2} uses it as one (a whole number of hours, e.g. \"5\")") in result.err.splitlines(), result.err


def test_the_json_schema_knows_the_table() -> None:
    schema = schemas()["handout.schema.json"]
    handout = {"id": "x", "treatment": "X", "kind": "aftercare", "title": "X", "language": "en", "version": "1",
               "blocks": [{"when_can_i": {"title": "When can I…", "rows": [{"what": "Swim", "hours": "48"}, {"what": "Tan", "days": "7"}]}}]}
    jsonschema.validate(handout, schema)
    handout["blocks"][0]["when_can_i"]["rows"][0]["days"] = "2"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(handout, schema)
