"""A new document's region and plan id, from what it says about itself and the gazetteer.

Region: the place its title starts with (`重庆市永川区…` -> 永川区, inside 重庆市), else 全国 when a central body
issues it (国务院, 中共中央, a ministry), else the place its issuer's name starts with. Plan id
`<region-in-pinyin>[-<topic>]-<first year>`: the region's short name in pinyin (广州市 -> guangzhou, 全国 -> china);
the topic part, from the title's own words, as soon as the region already has a document (national documents
always have one) — so an id never
clashes with another document's.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ..errors import IngestError
from ..regions import LEVELS, NATIONAL, Gazetteer, Place, load_gazetteer, short_name
from ..types import Region

# Central bodies: their documents apply in every region.
_CENTRAL = re.compile(r"^(?:中共中央|国务院|全国人大|全国人民代表大会|中华人民共和国|国家[\u4e00-\u9fff]{2,12}"
                      r"(?:委员会|局|署|办|院)|[\u4e00-\u9fff]{2,10}部(?:等[\u4e00-\u9fff\d]{1,4}部门)?)")
# Words of a title that say nothing about its topic.
_GENERIC = re.compile(r"关于|印发|进一步|加快|推进|推动|促进|深化|做好|全面|若干|有关|相关|情况|问答实录|实施|行动|方案|计划|"
                      r"加强|强化|提升|支持|优化|完善|健全|贯彻落实|学习运用|有力有效|指导|"
                      r"规划|意见|办法|措施|细则|通知|规定|管理|建设|发展|工作|高质量|政策|三年|十四五|的|和|与|及|"
                      r"[\d()\-—–年]")
TOPIC_CHARS = 4


def _leading_places(gaz: Gazetteer, text: str) -> list[Place]:
    """The chain of places a text starts with: `重庆市永川区…` -> [重庆市, 永川区]."""
    chain: list[Place] = []
    longest = max(map(len, gaz.aliases))
    i = 0
    while i < len(text):
        for length in range(min(longest, len(text) - i), 1, -1):
            codes = gaz.aliases.get(text[i:i + length], [])
            if chain:  # of several places by that name, the one inside the chain so far
                codes = [c for c in codes if chain[-1].code in gaz.places[c].parents] or codes
            if len(codes) == 1:
                chain.append(gaz.places[codes[0]])
                i += length
                break
        else:
            break
    return chain


def is_central(name: str) -> bool:
    return _CENTRAL.match(name.replace(" ", "")) is not None


def starts_with_place(text: str) -> bool:
    return bool(_leading_places(load_gazetteer(), text))


def region_of(place: Place, gaz: Gazetteer) -> Region:
    parents = [p for p in gaz.lineage(place)[:-1] if p.level >= 0 and p.name != place.name]
    return Region(place.name, LEVELS[place.level], parents[-1].name if parents else None)


def find_region(title: str, bodies: Iterable[str]) -> Region | None:
    gaz = load_gazetteer()
    chain = _leading_places(gaz, title)
    if chain:
        return region_of(chain[-1], gaz)
    bodies = [b.replace(" ", "") for b in bodies if b]
    if any(_CENTRAL.match(b) for b in [title.replace(" ", ""), *bodies]):
        return Region(NATIONAL, NATIONAL, None)
    for body in bodies:
        if chain := _leading_places(gaz, body):
            return region_of(chain[-1], gaz)
    return None


def topic_of(title: str, region: Region) -> str:
    """A few of the title's own words, in pinyin: `上海市加快食品科技创新…行动方案` -> `shipinkeji`."""
    from pypinyin import lazy_pinyin

    quoted = re.search(r"《([^《》]+)》", title)  # `问答实录:《X》有关情况` is about X
    rest = quoted.group(1) if quoted else title.rsplit("关于", 1)[-1]  # the issuer before 关于 is not the topic
    rest = rest.replace(region.name, "").replace(short_name(region.name) or region.name, "")
    words = [w for w in re.split(r"[^\u4e00-\u9fffA-Za-z0-9]+", _GENERIC.sub(" ", rest)) if w]
    chars = "".join(words)[:TOPIC_CHARS] or "doc"
    return "".join(lazy_pinyin(chars)).lower()


def region_slug(region: Region) -> str:
    from pypinyin import lazy_pinyin

    if region.name == NATIONAL:
        return "china"
    return "".join(lazy_pinyin(short_name(region.name) or region.name)).lower()


def derive_plan_id(title: str | None, region: Region | None, years: Iterable[str | None], taken: set[str],
                   name: str) -> str:
    """`<region>[-<topic>]-<year>`, unique among `taken` (ids already in the library)."""
    year = next((y[:4] for y in years if y and y[:4].isdigit()), None)
    if region is None or not year:
        raise IngestError(name, "cannot derive a plan id (no region or year in the title); pass --plan-id "
                                "(and --region)")
    slug = region_slug(region)
    plain = f"{slug}-{year}"
    # the first document of a region needs no topic; 全国 always has many
    if region.name != NATIONAL and not any(t.startswith(slug + "-") for t in taken):
        return plain
    topic = topic_of(title or "", region)
    candidate, n = f"{slug}-{topic}-{year}", 2
    while candidate in taken:
        candidate, n = f"{slug}-{topic}{n}-{year}", n + 1
    return candidate
