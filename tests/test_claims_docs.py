"""docs/methods.md states the named areas' boxes; they must be the code's boxes."""

from __future__ import annotations

import re

from analysis import paths
from analysis.vocabulary import NAMED_AREAS


def test_methods_doc_boxes_match_the_vocabulary():
    text = (paths.ROOT / "docs" / "methods.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| \(([-\d., ]+)\) \|", text, flags=re.MULTILINE))
    documented = {name: tuple(float(x) for x in box.split(",")) for name, box in rows.items()}
    assert documented == dict(NAMED_AREAS)
