"""Another country's policy (`德国对绿氢项目有什么补贴?`, `What tax incentives does Vietnam give …?`): the library's
plans are China's, so such a question asks about a region with no plan, and is told so rather than answered from
Chinese clauses that share its words. A country the question names as a market, a partner or an origin
(`出口到美国的企业`, `从日本引进的人才`, `德国企业在华投资`, `exporting to Japan`) is no such question.

Names come from ISO 3166-1 as the `pycountry` package ships it: English (name, common and official name) and
Chinese (its zh_CN translation), with the short forms people write (`韩国` for 大韩民国, `Russia`, `UK`), and the EU
(欧盟), which is no country but makes law of its own. China, Hong Kong, Macao and Taiwan are not abroad. A Chinese
name counts only on word boundaries of general Chinese (`加纳` is not in `增加纳入`), an English one as a capitalised
word; names that are also common English names or places elsewhere (Georgia, Jordan, Chad, Jersey) are left out.
"""
from __future__ import annotations

import gettext
import logging
import re
import threading
from dataclasses import dataclass

from ..text.lexicon import word_bounds

log = logging.getLogger(__name__)

_CHINA = frozenset({"CN", "HK", "MO", "TW"})
# a question that also names China is about China (a comparison, a cooperation), not only about abroad
# (not China as where goods come from or go, or where a foreign firm invests: `steel imported from China`, `从中国进口`)
ABOUT_CHINA = re.compile(r"(?<![从自向到往在])中国|我国|全国|国务院|中共中央|党中央|(?<!from )(?<!into )(?<!to )(?<!in )China|"
                         r"Chinese|State Council")
_AMBIGUOUS = frozenset({"Georgia", "Jordan", "Chad", "Jersey", "Guernsey", "Niger"})
# the short forms people write, by ISO code: (English, Chinese)
_SHORT = {"KR": (("Korea",), ("韩国",)), "KP": ((), ("朝鲜",)), "IR": ((), ("伊朗",)), "SY": ((), ("叙利亚",)),
          "LA": ((), ("老挝",)), "VE": ((), ("委内瑞拉",)), "KH": ((), ("柬埔寨",)), "MT": ((), ("马耳他",)),
          "GT": ((), ("危地马拉",)), "MD": ((), ("摩尔多瓦",)), "BO": ((), ("玻利维亚",)),
          "RU": (("Russia",), ()), "TR": (("Turkey",), ()), "GB": (("UK", "Britain", "Great Britain", "England"), ()),
          "US": (("USA", "US", "America", "the US"), ()), "NL": (("Holland",), ()), "CZ": (("Czech Republic",), ())}
# a people's adjective before its government or its law names the country that owns the policy (`the Japanese
# government`, `German subsidies`): the common ones, by the country's English name
_DEMONYMS = {"Japanese": "Japan", "German": "Germany", "French": "France", "British": "UK", "American": "USA",
             "Korean": "Korea", "South Korean": "Korea", "Indian": "India", "Vietnamese": "Viet Nam", "Thai": "Thailand",
             "Singaporean": "Singapore", "Malaysian": "Malaysia", "Indonesian": "Indonesia", "Australian": "Australia",
             "Canadian": "Canada", "Italian": "Italy", "Spanish": "Spain", "Dutch": "Netherlands", "Swiss": "Switzerland",
             "Swedish": "Sweden", "Russian": "Russia", "Brazilian": "Brazil", "Mexican": "Mexico", "Turkish": "Turkey",
             "Saudi": "Saudi Arabia", "Israeli": "Israel", "Irish": "Ireland", "Polish": "Poland", "Belgian": "Belgium",
             "Austrian": "Austria", "Danish": "Denmark", "Finnish": "Finland", "Norwegian": "Norway",
             "Philippine": "Philippines", "Pakistani": "Pakistan", "European": "EU"}
_GOVERNS_EN = re.compile(r"^\s+(?:federal\s+|central\s+|national\s+)?(?:government|authorities|ministry|state|parliament|"
                         r"law|laws|rules|regulations?|subsid\w*|tax\w*|incentives?|grants?|programm?e?s?|polic(?:y|ies))\b")
# jurisdictions abroad that are no country (not in ISO 3166-1) but make law of their own: (English, Chinese)
_UNIONS = ((("European Union", "EU"), ("欧盟",), "the European Union"),)
# the country owns the policy asked about: what follows it (within a few characters) …
_OWNS_CN = re.compile(r"^[^,;。!?]{0,10}?(?:对|政府|有什么|有哪些|出台|推出|发布|给予|提供|补贴|扶持|优惠|政策|税收|是否)")
# … unless it is a market, a partner or an origin: the words just before or right after it
_NOT_OWNER_BEFORE = re.compile(r"(?:到|向|往|从|自|与|和|同|跟|赴|去|在|出口|进口|对|面向|来自|符合)$")
# (`欧盟标准`, `美国关税`, `反倾销`: what the company meets or faces abroad, for which it may seek support at home)
_NOT_OWNER_AFTER = re.compile(r"^(?:企业|公司|人|籍|资|客户|市场|专家|人才|留学|回国|归国|产品|技术|合作|伙伴|客商|投资者|"
                              r"标准|认证|关税|反倾销|反补贴|制裁)")
# … or the asker speaks up in a later part: the country acts, the asker wants support at home (`欧盟对电动车加征关税,
# 我们有什么支持?`)
_ASKER_LATER = re.compile(r"[,，;；。]\s*[^,，;；。]*?(?:我们|我司|我公司|我厂|咱们|我单位)")
_OWNS_EN = re.compile(r"(?:\b(?:does|did|do|will|would|can|in|of|by|a|under|from the government of)\s+(?:the\s+)?$)")
# (… or its law, its tax or its visas: `the EU AI Act`, `the US federal tax credit`, `the US H-1B visa`)
_OWNS_EN_AFTER = re.compile(r"^(?:'s|’s|\s+(?:offers?|gives?|provides?|subsidi[sz]es?|grants?|government|pays?|federal|"
                            r"(?:[A-Z][\w-]*\s+){0,3}(?:Act|Law|Directive|Regulation|Code)|(?:[A-Z0-9][\w-]*\s+){0,2}"
                            r"(?:visas?|immigration|residence permits?|work permits?)))\b")
# (`a Singapore company`, `a Japan-based firm`: a company from there, not its policy)
_NOT_OWNER_EN = re.compile(r"^(?:-(?:based|funded|invested|owned|listed|made)|\s+(?:companies|company|firms?|enterprises?|"
                           r"investors?|business(?:es)?|startups?|nationals?|citizens?|residents?|students?|suppliers?|"
                           r"customers?|partners?|markets?|products?|dollars?|currency|tariffs?|duties|anti-dumping|standards?|"
                           r"certification|sanctions?))\b")
# (… or a law or permit the asker holds, meets or answers to: `firms that comply with the EU AI Act`, `holding US work
# permits`, `respond to the US Chips Act`)
_HELD_EN = re.compile(r"\b(?:comply(?:ing)?|complies|compliance|compliant|respond(?:s|ing)?|response|reply|replies|"
                      r"hold(?:s|ing)?|held|meet(?:s|ing)?|follow(?:s|ing)?|affected|against|obtain(?:s|ing|ed)?|with)\s+"
                      r"(?:with\s+|to\s+|by\s+)?(?:the\s+|a\s+|an\s+)?$", re.I)


@dataclass(frozen=True)
class Country:
    name: str  # as the question writes it (`Germany`, `德国`)
    chinese: str  # as a Chinese text writes it (`德国`; "" when the translation has none)


@dataclass(frozen=True)
class Countries:
    english: dict[str, Country]  # every English way of writing it -> the country
    chinese: dict[str, Country]
    english_pattern: re.Pattern[str]
    peoples: dict[str, Country]  # `Japanese` -> Japan
    people_pattern: re.Pattern[str]


_LOCK = threading.Lock()
_LOADED: list[Countries] = []


def _chinese_names(code: str, translated: str) -> list[str]:
    return [n for n in (translated, *_SHORT.get(code, ((), ()))[1]) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", n)]


def countries() -> Countries:
    """Every country but China, and the EU, by its English and Chinese names (read once per process)."""
    with _LOCK:
        if not _LOADED:
            import pycountry

            try:
                zh: gettext.NullTranslations = gettext.translation("iso3166-1", pycountry.LOCALES_DIR,
                                                                   languages=["zh_CN"])
            except OSError:  # (a pycountry without its Chinese catalogue: English names only)
                log.warning("pycountry has no zh_CN names; other countries are recognised in English only")
                zh = gettext.NullTranslations()
            english: dict[str, Country] = {}
            chinese: dict[str, Country] = {}
            for country in pycountry.countries:
                code = country.alpha_2
                if code in _CHINA:
                    continue
                names = _chinese_names(code, zh.gettext(country.name))
                shown_cn = names[-1] if names else ""  # (the short form when there is one)
                for name in names:
                    chinese[name] = Country(name, shown_cn)
                shown = getattr(country, "common_name", None) or country.name
                written = (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None),
                           *_SHORT.get(code, ((), ()))[0])
                for w in written:
                    if w and "," not in w and w not in _AMBIGUOUS:  # (`Korea, Republic of` is no way to write it)
                        english[w] = Country(shown, shown_cn)
            for written_en, written_cn, shown_en in _UNIONS:
                english |= dict.fromkeys(written_en, Country(shown_en, written_cn[0]))
                chinese |= dict.fromkeys(written_cn, Country(written_cn[0], written_cn[0]))
            names = sorted(english, key=len, reverse=True)
            pattern = re.compile(r"(?<!New )\b(" + "|".join(re.escape(n) for n in names) + r")\b")
            peoples = {d: english[n] for d, n in _DEMONYMS.items() if n in english}
            _LOADED.append(Countries(english, chinese, pattern, peoples, re.compile(
                r"\b(" + "|".join(sorted(peoples, key=len, reverse=True)) + r")\b")))
    return _LOADED[0]


def countries_named(text: str) -> list[Country]:
    """The other countries whose own policy `text` asks about, each once; none when it names China too."""
    if ABOUT_CHINA.search(text):
        return []
    known = countries()
    found = [known.english[m.group(1)] for m in known.english_pattern.finditer(text)
             if (_OWNS_EN.search(text[:m.start()]) or _OWNS_EN_AFTER.match(text[m.end():]))
             and not _NOT_OWNER_EN.match(text[m.end():]) and not _HELD_EN.search(text[:m.start()])]
    found += [known.peoples[m.group(1)] for m in known.people_pattern.finditer(text) if _GOVERNS_EN.match(text[m.end():])]
    if re.search(r"[\u4e00-\u9fff]", text) and any(name in text for name in known.chinese):
        bounds = word_bounds(text)
        for name in known.chinese:
            at = text.find(name)
            while at >= 0:
                end = at + len(name)
                # (`韩国政府` is one word of general Chinese: the name, then its government)
                if at in bounds and (end in bounds or text.startswith("政府", end)) and not _NOT_OWNER_BEFORE.search(text[:at]) \
                        and not _NOT_OWNER_AFTER.match(text[end:]) and _OWNS_CN.match(text[end:]) \
                        and not _ASKER_LATER.search(text, end):
                    found.append(known.chinese[name])
                    break
                at = text.find(name, end)
    return list(dict.fromkeys(found))
