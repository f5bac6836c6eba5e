"""The report in a real browser: headless Debian Chromium driven by Playwright.

The report under test holds two runs of the session's shared build (`shared_build`
in conftest.py): Russia's first year, and the claims ledger of a claims file whose
statement carries a script. Their folders are copied into a temporary reports/ and
its pages and report.pdf written for them alone, as a two-run build would. On the
landing page
and every run page: an axe-core audit finds no serious or critical violation, every
image loads, every link resolves (local pages are followed, fragments must name an
element), no console error is logged, and a keyboard user reaches the table of
contents and each run. The claim's script shows as text and never runs. The build's
report.pdf holds every run, its verdict table extracts as text, and a
second print of it reads the same (its text; the bytes usually match too, but not
always, which is one reason the PDF is not in the manifest). Screenshots are left
beside the build.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis.report.pdf import FLAGS
from tests.conftest import XSS_IMG as IMG
from tests.conftest import XSS_RUN
from tests.conftest import XSS_SCRIPT as SCRIPT

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.mirror]

CHROMIUM = Path("/usr/bin/chromium")
RUNS = ("one_year-russia-2015-16", XSS_RUN)
PAGES = ["index.html", *(f"pages/{run}.html" for run in RUNS)]


@pytest.fixture(scope="module")
def build(shared_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/ of the two RUNS, with their pages and report.pdf; returns it."""
    from analysis.pipeline import engine

    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed")
    out = tmp_path_factory.mktemp("browser") / "reports"
    for run in RUNS:
        shutil.copytree(shared_build / "runs" / run, out / "runs" / run)
    assert [p.name for p in engine.write_reports(out)] == [
        "index.html",
        "BUILT.sha256",
        "report.pdf",
    ]
    return out


@pytest.fixture(scope="module")
def browser(build: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chrome = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield chrome
        chrome.close()


def _open(browser: object, build: Path, page: str) -> tuple[object, list[str]]:
    tab = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
    tab.goto((build / page).as_uri(), wait_until="load")
    return tab, problems


@pytest.mark.parametrize("page", PAGES)
def test_axe_finds_no_serious_or_critical_violation(
    browser: object, build: Path, page: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    tab, _ = _open(browser, build, page)
    found = Axe().run(tab).response["violations"]
    tab.close()  # type: ignore[attr-defined]
    summary = {v["id"]: (v["impact"], len(v["nodes"])) for v in found}
    print(f"axe {page}: {summary or 'no violations'}")
    assert not [v for v in found if v["impact"] in ("serious", "critical")], summary


def _check_page(tab: object, build: Path, page: str) -> tuple[list[str], list[str]]:
    """Images that did not load and links that resolve to nothing, on one page; and
    the local pages it links to (relative to the build)."""
    images = tab.eval_on_selector_all(  # type: ignore[attr-defined]
        "img",
        "els => els.map(e => { e.scrollIntoView(); return [e.getAttribute('src'),"
        " e.complete, e.naturalWidth]; })",
    )
    broken = [f"{page}: image {src}" for src, done, width in images if not (done and width > 0)]
    ids = set(tab.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))  # type: ignore[attr-defined]
    hrefs = tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")  # type: ignore[attr-defined]
    linked = []
    for href in hrefs:
        if urlparse(href).scheme in ("http", "https"):
            continue
        target, _, fragment = href.partition("#")
        if not target:
            if fragment not in ids:
                broken.append(f"{page}: link {href}")
            continue
        resolved = ((build / page).parent / unquote(target)).resolve()
        if not resolved.is_file() or not resolved.is_relative_to(build.resolve()):
            broken.append(f"{page}: link {href}")
        elif resolved.suffix == ".html":
            linked.append(resolved.relative_to(build.resolve()).as_posix())
    return broken, linked


def test_every_link_resolves_and_every_image_loads_on_every_page(
    browser: object, build: Path
) -> None:
    seen: set[str] = set()
    queue = ["index.html"]
    problems: list[str] = []
    while queue:
        page = queue.pop()
        if page in seen or page.startswith("runs/"):  # nbconvert's notebook pages
            seen.add(page)
            continue
        seen.add(page)
        tab, errors = _open(browser, build, page)
        broken, linked = _check_page(tab, build, page)
        problems += broken + [f"{page}: console {e}" for e in errors]
        queue += linked
        tab.close()  # type: ignore[attr-defined]
    assert set(PAGES) <= seen
    assert any(p.startswith("runs/") and p.endswith(".html") for p in seen)  # notebooks linked
    assert not problems, problems


def test_a_keyboard_user_reaches_the_contents_and_each_run(browser: object, build: Path) -> None:
    tab, _ = _open(browser, build, "index.html")
    reached = []
    for _ in range(150):
        tab.keyboard.press("Tab")  # type: ignore[attr-defined]
        reached.append(tab.evaluate("document.activeElement.getAttribute('href')"))  # type: ignore[attr-defined]
    assert reached[0] == "#content"  # the skip link comes first
    for run in RUNS:
        assert f"pages/{run}.html" in reached, reached
    target = f"pages/{RUNS[0]}.html"
    for _ in range(reached.index(target) + 1):  # Tab to it afresh, then Enter
        tab.keyboard.press("Shift+Tab")  # type: ignore[attr-defined]
    while tab.evaluate("document.activeElement.getAttribute('href')") != target:  # type: ignore[attr-defined]
        tab.keyboard.press("Tab")  # type: ignore[attr-defined]
    tab.keyboard.press("Enter")  # type: ignore[attr-defined]
    tab.wait_for_url(f"**/{target}")  # type: ignore[attr-defined]
    back = tab.evaluate("document.querySelector('nav.back a').getAttribute('href')")  # type: ignore[attr-defined]
    tab.keyboard.press("Tab")  # type: ignore[attr-defined]
    tab.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert tab.evaluate("document.activeElement.getAttribute('href')") == back  # type: ignore[attr-defined]
    tab.close()  # type: ignore[attr-defined]


def test_markup_in_a_claim_shows_as_text_and_never_runs(browser: object, build: Path) -> None:
    for page in ("index.html", f"pages/{RUNS[1]}.html"):
        tab, problems = _open(browser, build, page)
        assert tab.evaluate("window.__xss") is None  # type: ignore[attr-defined]
        assert tab.title() != "pwned"  # type: ignore[attr-defined]
        text = tab.inner_text("body")  # type: ignore[attr-defined]
        assert SCRIPT in text and IMG in text and "& more" in text
        assert tab.eval_on_selector_all("script", "els => els.length") == 0  # type: ignore[attr-defined]
        assert not any(p.startswith("dialog") for p in problems)
        tab.close()  # type: ignore[attr-defined]


def test_screenshots_of_the_landing_page_and_a_run_page(browser: object, build: Path) -> None:
    for page, name in (("index.html", "index"), (f"pages/{RUNS[0]}.html", "run")):
        tab, _ = _open(browser, build, page)
        shot = build.parent / f"{name}-screenshot.png"
        tab.screenshot(path=str(shot), full_page=True)  # type: ignore[attr-defined]
        tab.close()  # type: ignore[attr-defined]
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def _pdf(tool: str, *args: str) -> str:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (Debian: poppler-utils)")
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def test_report_pdf_has_a_page_per_run_and_its_verdict_table_extracts(build: Path) -> None:
    from analysis.report import pdf

    target = build / "report.pdf"
    info = _pdf("pdfinfo", str(target))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    starts = [
        _pdf("pdftotext", "-f", str(n), "-l", str(n), str(target), "-") for n in range(1, pages + 1)
    ]
    assert pages >= 1 + len(RUNS)
    assert starts[0].lstrip().startswith("Casualty claims about Russian air strikes")
    # each run follows the one before (no page left mostly blank), headed by its title
    lines = [line.strip() for page in starts for line in page.splitlines()]
    assert sum(line.startswith("One year of air strikes") for line in lines) == 1, lines
    assert sum(line.startswith("The claims ledger") for line in lines) == 1, lines
    text = " ".join(_pdf("pdftotext", str(target), "-").split())
    assert "Verdicts: each claim, the range its wording allows" in text
    assert "3,804 civilians" in text and "consistent with what sources document" in text
    assert "2,554 to 7,563" in text
    first, inode = _pdf("pdftotext", str(target), "-"), target.stat().st_ino
    (build / pdf.KEY).unlink()
    again = (
        "import sys, pathlib; from analysis.report import pdf; "
        "pdf.write_pdf(pathlib.Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", again, str(build)], check=True)
    assert target.stat().st_ino != inode  # printed again, not skipped
    assert _pdf("pdftotext", str(target), "-") == first
