"""Filesystem locations of the project, as pathlib constants.

Every module asks this one for a path, so no code hard-codes one. Importing it has
no side effects: nothing is created until a writer needs its folder.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_RAW = ROOT / "data" / "raw"
MANIFEST = DATA_RAW / "datapackage.json"
PUBLISHED_FIGURES = DATA_RAW / "published_figures.csv"
ARTICLE_CLAIMS = DATA_RAW / "article_claims.csv"
LINK_JUDGEMENTS = DATA_RAW / "link_judgements.csv"
LINK_SAMPLE_DESIGN = DATA_RAW / "link_sample_design.csv"
MONITORS = DATA_RAW / "monitors.csv"
CACHE = Path(os.environ.get("ANALYSIS_CACHE_DIR", ROOT / "data" / "cache"))
NOTEBOOKS = ROOT / "notebooks"
REPORTS = ROOT / "reports"
CONFIG = ROOT / "config"
BUILD_STATE = ROOT / ".build"
LOCK_FILE = ROOT / "requirements.lock"


def raw_dir() -> Path:
    """Where fetched upstream files live; `ANALYSIS_RAW_DIR` overrides it (tests)."""
    return Path(os.environ.get("ANALYSIS_RAW_DIR", DATA_RAW))


def cache_dir() -> Path:
    """Where parquet caches of tidy tables live; `ANALYSIS_CACHE_DIR` overrides it."""
    return Path(os.environ.get("ANALYSIS_CACHE_DIR", CACHE))
