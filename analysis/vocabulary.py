"""The controlled vocabulary: one spelling of every perpetrator, victim category,
qualifier, figure kind, governorate and named area, shared by importers, claims and
figures so that a value means the same thing everywhere."""

from __future__ import annotations

from typing import Final

PERPETRATORS: Final = (
    "russia",
    "syrian_government",
    "russia_or_syrian_government",
    "us_led_coalition",
    "turkey",
    "all",
)

CATEGORIES: Final = (
    "total",
    "civilians",
    "children",
    "women",
    "civilian_men",
    "fighters",
    "is_fighters",
    "other_fighters",
    "people",
    "civilians_injured",
)

KINDS: Final = ("count", "min", "max", "estimate")

QUALIFIERS: Final = ("exact", "about", "almost", "at_least", "more_than", "up_to")

DATE_PRECISIONS: Final = ("day", "month", "year")

#: Syria's 14 governorates: code -> the English name shown to readers.
GOVERNORATES: Final[dict[str, str]] = {
    "aleppo": "Aleppo",
    "idlib": "Idlib",
    "hama": "Hama",
    "homs": "Homs",
    "latakia": "Latakia",
    "tartus": "Tartus",
    "damascus": "Damascus",
    "rif_dimashq": "Rif Dimashq (Damascus countryside)",
    "daraa": "Daraa",
    "as_suwayda": "As-Suwayda",
    "quneitra": "Quneitra",
    "deir_ez_zor": "Deir ez-Zor",
    "ar_raqqah": "Ar-Raqqah",
    "al_hasakah": "Al-Hasakah",
}

#: Named areas smaller than a governorate, as (south, west, north, east) bounding
#: boxes in decimal degrees. Boxes are coarse on purpose: incident coordinates are
#: often only village- or neighbourhood-precise. See docs/methods.md.
NAMED_AREAS: Final[dict[str, tuple[float, float, float, float]]] = {
    # The built-up city of Aleppo (both halves), about 14 km across.
    "aleppo_city": (36.14, 37.07, 36.27, 37.24),
    # The besieged, opposition-held eastern districts in Sept-Dec 2016: east of the
    # old city line, roughly from Bustan al-Qasr and Sheikh Saeed in the south to
    # Hanano in the north-east.
    "east_aleppo": (36.165, 37.150, 36.235, 37.215),
}

AREAS: Final = ("syria", *GOVERNORATES, *NAMED_AREAS)

#: Airwars belligerent names (the archive's English originals) -> package codes.
BELLIGERENTS: Final[dict[str, str]] = {
    "Russian Military": "russia",
    "Syrian Regime": "syrian_government",
    "U.S.-led Coalition": "us_led_coalition",
    "Turkish Military": "turkey",
    "Iranian Military": "iran",
    "Israeli Military": "israel",
    "Jordanian Military": "jordan",
    "UK Military": "united_kingdom",
    "YPG": "ypg",
    "Syrian Democratic Forces": "sdf",
    "Kurdish Forces": "kurdish_forces",
    "Tribal Forces": "tribal_forces",
    "Unknown": "unknown",
}

#: Airwars' grading of an incident, strongest first.
GRADINGS: Final = ("Confirmed", "Fair", "Weak", "Contested", "Discounted")
