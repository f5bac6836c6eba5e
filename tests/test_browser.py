"""The report in a real browser: headless Debian Chromium driven by Playwright.

One build (two runs: Russia's first year, and the claims ledger of a claims file
whose statement carries a script) goes into a temporary folder; the page must load
every image, resolve every local link, log no console error, show the script as
text without running it, and leave a screenshot.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from analysis import paths

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.mirror]

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCRIPT = '<script>window.__xss = 1; document.title = "pwned"</script>'
IMG = '<img src=x onerror="window.__xss = 2">'


@pytest.fixture(scope="module")
def build(real_tables: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """reports/ of a two-run build in a temporary folder; returns it."""
    from analysis.pipeline import engine

    root = tmp_path_factory.mktemp("browser")
    claims = root / "claims.csv"
    with paths.ARTICLE_CLAIMS.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["statement"] = f"About 4,000 civilians {SCRIPT} {IMG} & more"
    with claims.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    config = root / "runs.yaml"
    config.write_text(
        f"""
notebooks:
  one_year:
    path: {paths.NOTEBOOKS / "01_one_year.ipynb"}
    tables: [airwars, published]
    parameters_model: analysis.parameters.OneYear
  claims_ledger:
    path: {paths.NOTEBOOKS / "02_claims_ledger.ipynb"}
    tables: [airwars, ucdp_ged, ucdp_brd, vdc_weekly, vdc_daily, published]
    parameters_model: analysis.parameters.Ledger
runs:
  - id: one_year-russia-2015-16
    notebook: one_year
    parameters: {{}}
  - id: claims_ledger-xss
    notebook: claims_ledger
    parameters: {{claims_file: "{claims}"}}
""",
        encoding="utf-8",
    )
    out = root / "reports"
    assert engine.main(force=True, jobs=2, scheduler=None, only=None, config=config, out=out) == 0
    return out


@pytest.fixture(scope="module")
def page(build: Path) -> Iterator[tuple[object, list[str]]]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is not installed")
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        tab = browser.new_page(viewport={"width": 1280, "height": 900})
        problems: list[str] = []
        tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: problems.append(str(e)))
        tab.on("dialog", lambda d: (problems.append(f"dialog {d.message}"), d.dismiss()))
        tab.goto((build / "index.html").as_uri(), wait_until="load")
        yield tab, problems
        browser.close()


def test_every_image_loads(page: tuple) -> None:
    tab, _ = page
    sizes = tab.eval_on_selector_all(
        "img",
        "els => els.map(e => { e.scrollIntoView(); return [e.getAttribute('src'),"
        " e.complete, e.naturalWidth]; })",
    )
    assert len(sizes) >= 3  # two figures of one_year, one of the ledger
    broken = [src for src, done, width in sizes if not (done and width > 0)]
    assert not broken, f"images that did not load: {broken}"


def test_every_local_link_resolves(page: tuple, build: Path) -> None:
    tab, _ = page
    links = tab.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    ids = set(tab.eval_on_selector_all("[id]", "els => els.map(e => e.id)"))
    assert any(str(h).endswith(".svg") for h in links)
    missing = []
    for href in links:
        if href.startswith("#"):
            resolves = href[1:] in ids
        else:
            resolves = (
                bool(urlparse(href).scheme) or (build / unquote(href.split("#")[0])).is_file()
            )
        if not resolves:
            missing.append(href)
    assert not missing, f"links that resolve to nothing: {missing}"


def test_no_console_errors_and_a_screenshot(page: tuple, build: Path, tmp_path: Path) -> None:
    tab, problems = page
    shot = tmp_path / "index.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    keep = build.parent / "index-screenshot.png"
    shutil.copy(shot, keep)
    assert not problems, problems


def test_markup_in_a_claim_shows_as_text_and_never_runs(page: tuple) -> None:
    tab, problems = page
    assert tab.evaluate("window.__xss") is None
    assert tab.title() != "pwned"
    text = tab.inner_text("body")
    assert SCRIPT in text and IMG in text and "& more" in text
    assert tab.eval_on_selector_all("script", "els => els.length") == 0
    assert not any(p.startswith("dialog") for p in problems)
