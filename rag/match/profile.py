"""A company profile as the matcher reads it: region (required), what it does, size and stage, each checked and
mapped to the beneficiary labels the support vocabulary uses."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import BadInputError
from ..limits import MAX_FIELD_CHARS
from ..text.normalize import normalize_text

# size -> the beneficiary label a company of that size is
SIZES = {"大型": (), "中型": ("中小企业",), "小型": ("中小企业",), "微型": ("中小企业",), "中小": ("中小企业",)}
SIZE_ALIASES = {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型", "大": "大型", "中": "中型",
                "小": "小型", "微": "微型", "小微": "小型", "中小企业": "中小", "小微企业": "小型", "sme": "中小"}
STAGES = {"初创": ("初创企业",), "成长": (), "成熟": ()}
STAGE_ALIASES = {"startup": "初创", "start-up": "初创", "growth": "成长", "mature": "成熟", "初创期": "初创",
                 "成长期": "成长", "成熟期": "成熟", "创业": "初创"}


@dataclass(frozen=True)
class Profile:
    region: str
    industry: str = ""
    size: str = ""
    stage: str = ""

    @classmethod
    def parse(cls, region: str | None, industry: str | None = None, size: str | None = None,
              stage: str | None = None) -> "Profile":
        region = normalize_text(region or "").strip()
        industry = normalize_text(industry or "").strip()
        if not region:
            raise BadInputError("a region is required (where the company is registered, e.g. 杭州市 or 历下区)")
        for name, value in (("region", region), ("industry", industry)):
            if len(value) > MAX_FIELD_CHARS:
                raise BadInputError(f"{name} is {len(value)} characters; at most {MAX_FIELD_CHARS}")
        return cls(region, industry, _choice("size", size, SIZES, SIZE_ALIASES),
                   _choice("stage", stage, STAGES, STAGE_ALIASES))


def _choice(name: str, value: str | None, allowed: dict, aliases: dict) -> str:
    value = normalize_text(value or "").strip()
    if not value:
        return ""
    value = aliases.get(value.lower(), value)
    if value not in allowed:
        raise BadInputError(f"unknown {name} {value!r}; one of {', '.join(allowed)} "
                            f"(or {', '.join(sorted(aliases))})")
    return value
