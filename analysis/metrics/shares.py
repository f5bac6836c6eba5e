"""Shares and ratios of counts that are ranges.

Each function takes `Interval`s and returns the range of every value the inputs
allow (see `analysis.intervals.ratio`). Shares of a part in a whole are clipped to
[0, 1], because a part cannot exceed its whole even when two ranges, read end to
end, would say so.

Known drawbacks. The ends are treated as independent, so when part and whole come
from the same incidents the ranges are wider than strictly needed.
"""

from __future__ import annotations

from analysis.intervals import Interval, ratio


def share(part: Interval, whole: Interval) -> Interval:
    """The share of a part in its whole, e.g. children among civilians killed."""
    return ratio(part, whole).clip(0.0, 1.0)


def children_among_civilians(children: Interval, civilians: Interval) -> Interval:
    return share(children, civilians)


def civilians_among_dead(civilians: Interval, all_dead: Interval) -> Interval:
    return share(civilians, all_dead)


def civilians_per_fighter(civilians: Interval, fighters: Interval) -> Interval:
    """Civilians killed per fighter killed (e.g. per IS fighter); unbounded when the
    fighters' range reaches zero."""
    return ratio(civilians, fighters)


def dirty_war_index(women: Interval, children: Interval, all_dead: Interval) -> Interval:
    """The women-and-children Dirty War Index (Hicks and Spagat, PLoS Medicine 2008).

    Definition: DWI = 100 x (women killed + children killed) / (all people killed
    whose sex and age are known, civilians and combatants alike). Adult men are the
    reference group: a weapon or perpetrator that targets only combatants, nearly
    all adult men, scores near 0; one that kills without regard to who is hit scores
    near the share of women and children in the population (about 60 to 70 in
    Syria's population structure); 100 means every victim was a woman or a child.
    Values run from 0 to 100.
    """
    return share(women + children, all_dead).scale(100.0)
