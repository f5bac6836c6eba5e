"""Notebook parameters: every committed run is valid, and each kind of mistake is
rejected with a message that names the parameter and what was found."""

from __future__ import annotations

import ast
import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from analysis import parameters, paths
from analysis.errors import ParameterError

MODELS = {
    "one_year": parameters.OneYear,
    "claims_ledger": parameters.Ledger,
    "aleppo_2016": parameters.Aleppo,
    "sources_over_time": parameters.SourcesCompared,
    "war_toll": parameters.WarToll,
    "corroboration": parameters.Corroboration,
}


def _config() -> dict:
    return yaml.safe_load((paths.CONFIG / "runs.yaml").read_text(encoding="utf-8"))


def test_every_committed_run_validates_and_names_its_model() -> None:
    config = _config()
    for key, entry in config["notebooks"].items():
        assert entry["parameters_model"] == f"analysis.parameters.{MODELS[key].__name__}"
    for run in config["runs"]:
        model = MODELS[run["notebook"]]
        parameters.validate(model, run["parameters"], f"run {run['id']}")


def test_config_has_non_default_runs_of_one_year() -> None:
    runs = {r["id"]: r for r in _config()["runs"]}
    coalition = runs["one_year-us_led_coalition-2015-16"]["parameters"]
    assert coalition["perpetrator"] == "us_led_coalition"
    second = parameters.OneYear.model_validate(runs["one_year-russia-2016-17"]["parameters"])
    assert (second.start, second.end) == (dt.date(2016, 9, 30), dt.date(2017, 9, 30))


def _parameters_cell(notebook: Path) -> dict[str, object]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, f"{notebook.name}: expected one cell tagged 'parameters'"
    values = {}
    for node in ast.parse("".join(tagged[0]["source"])).body:
        assert isinstance(node, ast.Assign), f"{notebook.name}: parameters cell has {node}"
        values[node.targets[0].id] = ast.literal_eval(node.value)  # type: ignore[attr-defined]
    return values


@pytest.mark.parametrize("key", sorted(MODELS))
def test_notebook_defaults_equal_model_defaults(key: str) -> None:
    """The parameters cell and the model agree, so a run without parameters is valid."""
    entry = _config()["notebooks"][key]
    cell = _parameters_cell(paths.ROOT / entry["path"])
    model = MODELS[key]
    assert set(cell) == set(model.model_fields)
    defaults = model.model_validate(cell).model_dump()
    expected = {name: field.default for name, field in model.model_fields.items()}
    assert {k: v for k, v in defaults.items() if k != "output_dir"} == {
        k: v for k, v in expected.items() if k != "output_dir"
    }


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"perpetator": "russia"}, "unknown parameter 'perpetator'"),
        ({"perpetrator": "rusia"}, "parameter 'perpetrator'.*found 'rusia'"),
        ({"start": 20150930}, "parameter 'start': expected a date YYYY-MM-DD, found int"),
        ({"start": "30/09/2015"}, "parameter 'start': expected a date YYYY-MM-DD, found '30/09"),
        ({"start": "2016-10-01"}, "end 2016-09-30 is before start 2016-10-01"),
        ({"output_dir": 3}, "parameter 'output_dir'"),
        ({"grading_rule": "fair"}, "parameter 'grading_rule'.*found 'fair'"),
        ({"grading_rule": "all", "attribution": "ledger"}, "both must be 'ledger' or neither"),
    ],
)
def test_one_year_rejects_with_a_message_naming_the_problem(given: dict, message: str) -> None:
    with pytest.raises(ParameterError, match=message) as caught:
        parameters.validate(parameters.OneYear, given, "run one_year-x")
    assert str(caught.value).startswith("run one_year-x: OneYear parameters rejected")


def test_other_models_reject_their_own_mistakes() -> None:
    with pytest.raises(ParameterError, match="ceasefire_collapse 2016-11-05 is outside"):
        parameters.validate(parameters.Aleppo, {"ceasefire_collapse": "2016-11-05"})
    with pytest.raises(ParameterError, match=r"parameter 'area'.*found 'gotham'"):
        parameters.validate(parameters.Aleppo, {"area": "gotham"})
    with pytest.raises(ParameterError, match="last_year 2010 is before first_year 2011"):
        parameters.validate(parameters.WarToll, {"last_year": 2010})
    with pytest.raises(ParameterError, match=r"parameter 'first_year'.*found '2011'"):
        parameters.validate(parameters.WarToll, {"first_year": "2011"})
    with pytest.raises(ParameterError, match="unknown parameter 'claims'"):
        parameters.validate(parameters.Ledger, {"claims": "x.csv"})


def test_several_problems_are_all_reported() -> None:
    with pytest.raises(ParameterError) as caught:
        parameters.validate(parameters.SourcesCompared, {"perpetrator": "nato", "colour": "red"})
    assert "'perpetrator'" in str(caught.value) and "'colour'" in str(caught.value)


def test_corroboration_year_must_lie_in_ged_window() -> None:
    with pytest.raises(ParameterError, match="year 2015 is outside UCDP GED's window"):
        parameters.validate(parameters.Corroboration, {"year": 2015})
