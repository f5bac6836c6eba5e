"""Typed parameters of each notebook, checked before any kernel starts.

Each notebook's `parameters` cell has one model here; `config/runs.yaml` names it
(`parameters_model`) and the build engine validates every run's parameters with it.
Models forbid unknown names, so a misspelt parameter (`perpetator`) fails instead of
being silently ignored by papermill; dates are ISO strings or dates (never numbers,
which pydantic would read as Unix timestamps); a period must not end before it
starts; perpetrators, areas and rules come from the package vocabulary.

Every model carries `output_dir`, the folder the engine injects and the notebook
writes its figures and tables under. `validate` turns pydantic's errors into one
`ParameterError` that names the parameter, what was expected and what was found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from analysis.errors import ParameterError
from analysis.vocabulary import AREAS, PERPETRATORS

#: Calendar years the UCDP GED Syria release covers (2019 up to 30 November).
GED_FIRST_YEAR, GED_LAST_YEAR = 2016, 2019

Perpetrator = Literal[PERPETRATORS]  # type: ignore[valid-type]
Area = Literal[AREAS]  # type: ignore[valid-type]


def _iso_date(value: Any) -> Any:
    """Accept a date or a `YYYY-MM-DD` string; anything else is a wrong type."""
    if isinstance(value, dt.datetime):
        raise ValueError(f"expected a date YYYY-MM-DD, found a date-time {value!r}")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, found {value!r}") from None
    raise ValueError(f"expected a date YYYY-MM-DD, found {type(value).__name__} {value!r}")


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class NotebookParameters(BaseModel):
    """What every notebook takes: the folder its figures and tables go to."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    output_dir: str = "."


class Period(NotebookParameters):
    """A period of inclusive dates; the end may not precede the start."""

    start: IsoDate
    end: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class OneYear(Period):
    """01_one_year: one perpetrator's strikes over a period, by Airwars' grading."""

    perpetrator: Perpetrator = "russia"
    start: IsoDate = dt.date(2015, 9, 30)
    end: IsoDate = dt.date(2016, 9, 30)
    #: `ledger`: low from Confirmed or Fair, high from all but Discounted (the claims
    #: ledger's rule); any other name (`analysis.metrics.airwars.GRADING_RULES`)
    #: applies one set of gradings to both ends.
    grading_rule: Literal[
        "ledger", "confirmed_fair", "confirmed_fair_weak", "all_but_discounted", "all"
    ] = "ledger"
    #: `ledger`: sole belligerent for the low end, shared for the high end; `sole` or
    #: `shared` applies one reading to both ends. Both rules are `ledger` or neither.
    attribution: Literal["ledger", "sole", "shared"] = "ledger"

    @model_validator(mode="after")
    def _rules_agree(self) -> Self:
        if (self.grading_rule == "ledger") != (self.attribution == "ledger"):
            raise ValueError(
                f"grading_rule {self.grading_rule!r} and attribution "
                f"{self.attribution!r}: both must be 'ledger' or neither"
            )
        return self


class Ledger(NotebookParameters):
    """02_claims_ledger: which claims file to check (relative to the project root)."""

    claims_file: str = "data/raw/article_claims.csv"


class Aleppo(Period):
    """03_aleppo_2016: an area and period around the collapse of a ceasefire."""

    area: Area = "east_aleppo"
    perpetrator: Perpetrator = "russia_or_syrian_government"
    start: IsoDate = dt.date(2016, 9, 5)
    end: IsoDate = dt.date(2016, 10, 31)
    ceasefire_collapse: IsoDate = dt.date(2016, 9, 19)

    @model_validator(mode="after")
    def _collapse_inside(self) -> Self:
        if not self.start <= self.ceasefire_collapse <= self.end:
            raise ValueError(
                f"ceasefire_collapse {self.ceasefire_collapse} is outside the "
                f"period {self.start}..{self.end}"
            )
        return self


class SourcesCompared(Period):
    """04_sources_over_time: cumulative tallies of each source over a period."""

    perpetrator: Perpetrator = "russia"
    start: IsoDate = dt.date(2015, 9, 30)
    end: IsoDate = dt.date(2018, 9, 30)


class Study(Period):
    """notebooks/template/study.ipynb: a student's own perpetrator, period and area."""

    perpetrator: Perpetrator = "turkey"
    start: IsoDate = dt.date(2018, 1, 20)
    end: IsoDate = dt.date(2018, 3, 24)
    area: Area = "aleppo"


class WarToll(NotebookParameters):
    """05_war_toll: the war's documented and estimated deaths, by year."""

    first_year: int = 2011
    last_year: int = 2022

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.last_year < self.first_year:
            raise ValueError(f"last_year {self.last_year} is before first_year {self.first_year}")
        return self


class Corroboration(NotebookParameters):
    """06_corroboration: one perpetrator's incidents in one calendar year of GED's window."""

    perpetrator: Perpetrator = "russia"
    year: int = 2016

    @model_validator(mode="after")
    def _inside_ged(self) -> Self:
        if not GED_FIRST_YEAR <= self.year <= GED_LAST_YEAR:
            raise ValueError(
                f"year {self.year} is outside UCDP GED's window "
                f"({GED_FIRST_YEAR} to {GED_LAST_YEAR})"
            )
        return self


def _describe(error: Mapping[str, Any]) -> str:
    name = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return f"unknown parameter {name!r} (found {error['input']!r})"
    if error["type"] == "missing":
        return f"parameter {name!r} is missing"
    if not name:  # a check across parameters: its message names them
        return message
    if error["type"] == "value_error":  # our own validators quote what they found
        return f"parameter {name!r}: {message}"
    return f"parameter {name!r}: {message} (found {error['input']!r})"


def validate(
    model: type[NotebookParameters], parameters: Mapping[str, Any], where: str = ""
) -> NotebookParameters:
    """`model` built from `parameters`, or a ParameterError naming every problem.

    `where` (e.g. "run one_year-russia-2015-16") starts the message.
    """
    try:
        return model.model_validate(dict(parameters))
    except ValidationError as exc:
        problems = "; ".join(_describe(e) for e in exc.errors())
        prefix = f"{where}: " if where else ""
        raise ParameterError(f"{prefix}{model.__name__} parameters rejected: {problems}") from None
