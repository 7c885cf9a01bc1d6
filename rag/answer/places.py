"""Which plans a question's places point to, the question without its places, and whether a short question
is a follow-up of the previous turn (`那江苏呢?`)."""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..regions import Jurisdictions, Place
from .intent import FOLLOW_UP_FILLERS, FOLLOW_UP_TAIL


class PlaceResolver:
    def __init__(self, jurisdictions: Jurisdictions, tokenize: Callable[[str], list[str]]):
        self.jurisdictions = jurisdictions
        self.tokenize = tokenize

    def places_in(self, text: str) -> list[Place]:
        return self.jurisdictions.places_in(text)

    def full_name(self, place: Place) -> str:
        return self.jurisdictions.gazetteer.full_name(place)

    def region_plans(self, places: list[Place]) -> tuple[list[str], list[str]]:
        """(plans whose jurisdiction covers or lies inside the places, full names of places no local plan covers
        — a national plan covers them, but is not theirs)."""
        plans: dict[str, None] = {}  # (ordered, and a membership test that does not read the list)
        uncovered: list[str] = []
        national = self.jurisdictions.national
        for place in places:
            cover = self.jurisdictions.coverage(place)
            found = cover.covering + cover.inside
            if not set(found) - national:
                uncovered.append(self.full_name(place))
            plans.update(dict.fromkeys(found))
        return list(plans), uncovered

    def own(self, plans: list[str]) -> list[str]:
        """Of plans covering a place, its own: all but the national ones, unless those are all."""
        return [p for p in plans if p not in self.jurisdictions.national] or plans

    def strip_places(self, text: str, kept: Sequence[Place] = ()) -> str:
        """The question without its place names (the plan filter carries them), e.g. `济南历下区的…` -> `的…`;
        `kept`: places (and the places around or inside them) that stay."""
        gazetteer = self.jurisdictions.gazetteer
        keep = {a for k in kept for a in gazetteer.names_of(k.code)}  # (`普陀区` of 上海 kept, of 舟山 not: kept)
        for place in sorted(gazetteer.find(text), key=lambda p: -len(p.name)):
            if any(place.code == k.code or k.code in place.parents or place.code in k.parents for k in kept):
                continue
            for alias in gazetteer.names_of(place.code):
                text = text if alias in keep else text.replace(alias, "")
        return re.sub(r"\s+", " ", text).strip()

    def topic(self, text: str, places: list[Place], plans: Sequence[str] = ()) -> str:
        """What to search for: the question without the places that chose its plans (the whole question if that is
        all). Given the plans searched, a place none of their own regions holds is part of what is asked, not the
        filter, and stays: `北京、天津、河北一体化` asked of a national plan (京津冀协同发展)."""
        if not places:
            return text
        kept = [p for p in places if plans and not self.governed(p, plans)]
        return self.strip_places(text, kept) or text

    def governed(self, place: Place, plans: Sequence[str]) -> bool:
        """Is the place one these plans (not national ones) were chosen for: a plan's region is the place, holds it,
        or lies inside it (`重庆市…` answered by 永川区's plan)?"""
        line = {p.code for p in self.jurisdictions.gazetteer.lineage(place)}
        regions = self.jurisdictions.plan_place
        return any(plan in regions and plan not in self.jurisdictions.national
                   and (regions[plan].code in line or place.code in regions[plan].parents) for plan in plans)

    def is_follow_up(self, text: str, places: list[Place]) -> bool:
        """`那江苏呢?`, `杭州呢`, `what about Jiangsu?`: short, and about a place or ending like a follow-up."""
        rest = self.strip_places(text)
        content = [t for t in self.tokenize(rest) if t not in FOLLOW_UP_FILLERS]
        return bool(FOLLOW_UP_TAIL.search(text)) and len(content) <= 1 or (bool(places) and not content)

    def covered_regions(self) -> list[str]:
        return self.jurisdictions.covered_regions()
