"""A company profile as the matcher reads it: region (required), what it does, size, stage, qualifications held
and not held, founding year — every field but the region optional, and a blank field never counts against it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Iterable

from ..errors import BadInputError
from ..limits import MAX_FIELD_CHARS
from ..text.normalize import normalize_text
from .terms import default_terms

SIZES = ("大型", "中型", "小型", "微型", "中小")  # 中小: one of 中型/小型/微型, not said which
SIZE_ALIASES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型", "大": "大型", "中": "中型",
                "小": "小型", "微": "微型", "大型企业": "大型", "中型企业": "中型", "小型企业": "小型", "微型企业": "微型",
                "中小企业": "中小", "sme": "中小", "小微": "小型", "小微企业": "小型"}
# a measure's size word -> the profile sizes that meet it
SIZE_MEETS = {"中小企业": {"中型", "小型", "微型", "中小"}, "小微企业": {"小型", "微型"}}
SIZE_UNSURE = {("小微企业", "中小")}  # (a measure's size word, a profile's size) that may or may not meet it
STAGES = ("初创", "成长", "成熟")
STAGE_ALIASES = {"startup": "初创", "start-up": "初创", "growth": "成长", "mature": "成熟", "初创期": "初创",
                 "成长期": "成长", "成熟期": "成熟", "创业": "初创"}
STAGE_MEETS = {"初创": {"初创"}}
MAX_QUALIFICATIONS = 20


@lru_cache(maxsize=1)
def qualification_names() -> dict[str, str]:
    """Every word a qualification is known by -> its label (the labels are the profile's choices)."""
    table = default_terms().table["qualification"]
    names = {label: label for label in table}
    for label, words in table.items():
        for w in words:
            names.setdefault(w, label)
    return names


def qualification_choices() -> list[str]:
    return list(default_terms().table["qualification"])


@dataclass(frozen=True)
class Profile:
    region: str
    industry: str = ""
    size: str = ""
    stage: str = ""
    qualifications: tuple[str, ...] = ()
    not_qualifications: tuple[str, ...] = ()
    founded: int | None = None

    @classmethod
    def parse(cls, region: str | None, industry: str | None = None, size: str | None = None,
              stage: str | None = None, qualifications: Iterable[str] | None = None,
              not_qualifications: Iterable[str] | None = None, founded: int | str | None = None) -> "Profile":
        region = normalize_text(region or "").strip()
        industry = normalize_text(industry or "").strip()
        if not region:
            raise BadInputError("a region is required (where the company is registered, e.g. 杭州市 or 历下区)")
        for name, value in (("region", region), ("industry", industry)):
            if len(value) > MAX_FIELD_CHARS:
                raise BadInputError(f"{name} is {len(value)} characters; at most {MAX_FIELD_CHARS}")
        has = _qualifications("qualifications", qualifications)
        lacks = _qualifications("not_qualifications", not_qualifications)
        both = sorted(set(has) & set(lacks))
        if both:
            raise BadInputError(f"qualifications both held and not held: {', '.join(both)}")
        return cls(region, industry, _choice("size", size, SIZES, SIZE_ALIASES),
                   _choice("stage", stage, STAGES, STAGE_ALIASES), has, lacks, _year(founded))

    def to_dict(self) -> dict[str, Any]:
        return {"region": self.region, "industry": self.industry, "size": self.size, "stage": self.stage,
                "qualifications": list(self.qualifications), "not_qualifications": list(self.not_qualifications),
                "founded": self.founded}


def _choice(name: str, value: str | None, allowed: tuple[str, ...], aliases: dict[str, str]) -> str:
    value = normalize_text(value or "").strip()
    if not value:
        return ""
    value = aliases.get(value.lower(), value)
    if value not in allowed:
        raise BadInputError(f"unknown {name} {value!r}; one of {', '.join(allowed)} "
                            f"(or {', '.join(sorted(aliases))})")
    return value


def _qualifications(name: str, values: Iterable[str] | None) -> tuple[str, ...]:
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    names = qualification_names()
    out: list[str] = []
    given: list[str] = []
    for raw in values:
        if not isinstance(raw, str):
            raise BadInputError(f"{name}: each qualification is a string, got {type(raw).__name__}")
        given.extend(re.split(r"[,，、;；]", raw))
    for raw in given:
        value = normalize_text(raw).strip().strip('"“”')
        if not value:
            continue
        label = names.get(value) or names.get(value.replace('"', "“", 1).replace('"', "”", 1))
        if label is None:
            raise BadInputError(f"{name}: unknown qualification {value!r}; one of {', '.join(qualification_choices())}")
        if label not in out:
            out.append(label)
    if len(out) > MAX_QUALIFICATIONS:
        raise BadInputError(f"{name}: at most {MAX_QUALIFICATIONS} qualifications")
    return tuple(out)


def _year(value: int | str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        year = int(str(value).strip().removesuffix("年"))
    except ValueError:
        raise BadInputError(f"founded: a year such as 2019, got {value!r}") from None
    if not 1900 <= year <= date.today().year + 1:
        raise BadInputError(f"founded: {year} is not a plausible founding year")
    return year
