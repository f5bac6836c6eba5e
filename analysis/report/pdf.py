"""`reports/report.pdf`: the landing page and every run page, printed by Chromium.

Steps. `index.print_document` renders the landing page and every run (figures,
tables, provenance) as one HTML document; it is written beside `index.html` (so its
relative image paths resolve), opened in headless Chromium through Playwright and
printed to A4 with page numbers, a tagged structure (so text extracts in reading
order) and an outline; the PDF is written to a temporary name and renamed.

It is printed only when what it shows changed: the sha256 of the document's HTML
and of every image it shows is kept in `reports/.report.pdf.sha256`, and a build
whose document hashes the same leaves the PDF alone (a no-op build never gets here).

Chromium is Debian's `/usr/bin/chromium` (Playwright cannot download its own
browsers here), or the program `ANALYSIS_CHROMIUM` names, or `chromium` on the
PATH. Without one, the build prints a one-line notice, writes no PDF and does not
fail: the HTML report is complete without it.

Chromium stamps every PDF with its creation time (`/CreationDate`, `/ModDate`); both
are rewritten in place to 1970-01-01 (or `SOURCE_DATE_EPOCH`), same length, so the
byte offsets stay valid and two prints of one document by one Chromium usually give
the same bytes.

Known drawbacks. The PDF is not in `MANIFEST.sha256`: its bytes come from Chromium,
a system package outside `requirements.lock` whose version is written into the file
and whose layout and font subsetting change between releases, so another machine
(or the same one after an upgrade) prints other bytes; and even one Chromium now and
then writes one digit of its tagged structure differently (seen in about one print
in fifteen here), so two prints read the same but are not always byte-identical.
Pages break where Chromium breaks them; figures are kept whole.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

from analysis.atomic import write_atomic

CHROMIUM_ENV = "ANALYSIS_CHROMIUM"
NAME = "report.pdf"
KEY = ".report.pdf.sha256"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
FOOTER = (
    '<div style="font-size:8px;width:100%;text-align:center;color:#333">'
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)


_STAMP = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][^)]*\)")


def fixed_dates(data: bytes) -> bytes:
    """`data` with its creation and modification dates set to SOURCE_DATE_EPOCH (else
    1970-01-01), each stamp kept at its length so that no byte offset moves."""
    when = datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")), UTC)

    def stamp(match: re.Match[bytes]) -> bytes:
        fixed = f"/{match[1].decode()} (D:{when:%Y%m%d%H%M%S}+00'00')".encode()
        return fixed if len(fixed) == len(match[0]) else match[0]

    return _STAMP.sub(stamp, data)


def chromium() -> Path | None:
    """The Chromium to print with, or None when there is none."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return Path(named) if Path(named).is_file() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def missing(out_dir: Path) -> bool:
    """True when a PDF could be printed but there is none (cheap: no imports)."""
    return not (Path(out_dir) / NAME).is_file() and chromium() is not None


def _key(document: str, out_dir: Path) -> str:
    digest = hashlib.sha256(document.encode("utf-8"))
    for png in sorted(out_dir.glob("runs/*/figures/*.png")):
        digest.update(png.relative_to(out_dir).as_posix().encode())
        digest.update(hashlib.sha256(png.read_bytes()).digest())
    return digest.hexdigest()


def print_pdf(html: Path, target: Path, browser: Path) -> None:
    """Print the HTML file `html` to `target` with the Chromium at `browser`."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chrome = driver.chromium.launch(executable_path=str(browser), args=FLAGS, headless=True)
        try:
            page = chrome.new_page()
            page.goto(html.as_uri(), wait_until="load")
            page.pdf(
                path=str(target),
                format="A4",
                margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=FOOTER,
                outline=True,
                tagged=True,
            )
        finally:
            chrome.close()


def write_pdf(out_dir: Path) -> Path | None:
    """Print `out_dir/report.pdf` when its content changed; returns its path (the
    build's summary line names it), or None, with a one-line notice, when no Chromium
    is installed."""
    from analysis.report.index import print_document

    out_dir = Path(out_dir).resolve()
    target, key_file = out_dir / NAME, out_dir / KEY
    browser = chromium()
    if browser is None:
        print(
            f"report: no {NAME} (no Chromium found: install Debian's chromium or set "
            f"{CHROMIUM_ENV}); the HTML report is complete"
        )
        return None
    document = print_document(out_dir)
    key = _key(document, out_dir)
    if target.is_file() and key_file.is_file() and key_file.read_text().strip() == key:
        return target
    html = out_dir / f".print.{os.getpid()}.html"

    def printed(tmp: Path) -> None:
        print_pdf(html, tmp, browser)
        tmp.write_bytes(fixed_dates(tmp.read_bytes()))

    try:
        html.write_text(document, encoding="utf-8")
        write_atomic(target, printed)
        key_file.write_text(key + "\n", encoding="utf-8")
    finally:
        html.unlink(missing_ok=True)
    return target
