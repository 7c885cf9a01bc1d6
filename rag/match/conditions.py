"""One condition of a measure judged against a profile (rag/match/matcher.py says the rules)."""
from __future__ import annotations

import re
from datetime import date

from ..regions import Jurisdictions, Place
from .profile import SIZE_MEETS, SIZE_UNSURE, STAGE_MEETS, Profile
from .result import Status
from .validity import CN_NUM

MET, UNKNOWN, NOT_MET = Status.MET, Status.UNKNOWN, Status.NOT_MET


def years_in(text: str) -> int | None:
    """`成立5年以内` -> 5, `成立三年内` -> 3."""
    m = re.search(r"(\d+|[一二两三四五六七八九十])年", text)
    if not m:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else CN_NUM.get(m.group(1))


def judge(kind: str, label: str, text: str, profile: Profile, on: date, place: Place,
          jurisdictions: Jurisdictions) -> tuple[Status, str]:
    """One condition of a measure against the profile: met, not met or unknown (a blank field is unknown), and why."""
    if kind == "qualification":
        if label in profile.qualifications:
            return MET, f"资质:{label}(已具备)"
        if label in profile.not_qualifications:
            return NOT_MET, f"资质:{label}(不具备)"
        return UNKNOWN, f"资质:是否为{label},请确认"
    if kind == "size":
        if not profile.size:
            return UNKNOWN, f"规模:是否属于{label}(规模未填写),请确认"
        if (label, profile.size) in SIZE_UNSURE:
            return UNKNOWN, f"规模:{profile.size}企业是否属于{label},请确认"
        ok = profile.size in SIZE_MEETS.get(label, set())
        return (MET if ok else NOT_MET), f"规模:{profile.size}{'属于' if ok else '不属于'}{label}"
    if kind == "stage":
        if not profile.stage:
            return UNKNOWN, f"阶段:是否为{text}(阶段未填写),请确认"
        ok = profile.stage in STAGE_MEETS.get(label, set())
        return (MET if ok else NOT_MET), f"阶段:{profile.stage}{'符合' if ok else '不符合'}“{text}”"
    if kind == "founded":
        years = years_in(text)
        if profile.founded is None or years is None:
            return UNKNOWN, f"成立时间:“{text}”,请确认"
        age = on.year - profile.founded
        ok = age <= years
        return (MET if ok else NOT_MET), f"成立时间:{profile.founded}年成立,{'符合' if ok else '不符合'}“{text}”"
    if kind == "location":
        gaz = jurisdictions.gazetteer
        named = jurisdictions.places_in(text)
        if named:
            line = {p.code for p in gaz.lineage(place)}
            inside = any(p.code in line for p in named)
            if inside:
                return MET, f"落户/注册:“{text}”,企业在{gaz.full_name(place)}"
            if not any(place.code in p.parents for p in named):
                return NOT_MET, f"落户/注册:“{text}”,企业在{gaz.full_name(place)}"
        return UNKNOWN, f"落户/注册:“{text}”,请确认"
    names = {"selection": "入选/认定", "threshold": "门槛", "other": "条件"}
    return UNKNOWN, f"{names.get(kind, kind)}:“{text}”,请确认"
