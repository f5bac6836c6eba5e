"""The students' template runs with other parameters, as docs/adapting.md says."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import papermill
import pytest

from analysis import load, paths

TEMPLATE = paths.NOTEBOOKS / "template" / "study.ipynb"


@pytest.mark.mirror
@pytest.mark.slow
def test_template_runs_for_another_perpetrator_period_and_area(mirror: str, tmp_path: Path) -> None:
    out = tmp_path / "study"
    papermill.execute_notebook(
        str(TEMPLATE),
        str(tmp_path / "study.ipynb"),
        parameters={
            "perpetrator": "russia",
            "start": "2016-09-19",
            "end": "2016-09-30",
            "area": "aleppo",
            "output_dir": str(out),
        },
        kernel_name="analysis",
        cwd=str(TEMPLATE.parent),
        progress_bar=False,
    )
    assert (out / "figures" / "monthly_timeline.png").stat().st_size > 0
    tallies = pd.read_csv(out / "tables" / "tallies.csv").set_index("category")
    # independent reading of the same rule with plain pandas
    table = load("airwars")
    dated = table["date"].between("2016-09-19", "2016-09-30") & table["governorate"].eq("aleppo")
    sole = table["belligerents"].eq("russia") & table["grading"].isin(["Confirmed", "Fair"])
    named = table["belligerents"].str.split("|").map(lambda b: "russia" in b, na_action="ignore")
    shared = named.fillna(False).astype(bool) & table["grading"].ne("Discounted")
    assert tallies.loc["civilians", "low"] == table.loc[dated & sole, "civilians_killed_min"].sum()
    high = table.loc[dated & shared, "civilians_killed_max"].sum()
    assert tallies.loc["civilians", "high"] == high
    assert tallies.loc["civilians", "high"] > 0


@pytest.mark.slow
def test_template_rejects_an_unknown_area_before_loading(tmp_path: Path) -> None:
    with pytest.raises(papermill.PapermillExecutionError, match="area"):
        papermill.execute_notebook(
            str(TEMPLATE),
            str(tmp_path / "study.ipynb"),
            parameters={"area": "atlantis", "output_dir": str(tmp_path / "out")},
            kernel_name="analysis",
            cwd=str(TEMPLATE.parent),
            progress_bar=False,
        )
