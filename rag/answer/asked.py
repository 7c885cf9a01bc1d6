"""The number or fact a question asks of a plan's body, read from its words alone: its unit (`多少家`, `比例`, `多久`),
what is counted or timed (the thing), or who, where, which school; whether it asks one at all (`asks_elsewhere`).
`facts.stating_clause` then looks for a sentence stating it."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

WHICH = r"哪(?:个|些|几个|几家)"  # which one or ones (`由哪几个部门联合印发`)
# When a document takes effect (not `实施行动`: 施行 inside 实施行…): its own clauses answer, no body's number.
ASKS_EFFECTIVE = re.compile(r"(?<!实)施行|生效|实施日期|开始实施|起实施|何时实施|什么时候实施|有效期|take effect|"
                            r"come into (?:force|effect)|effective (?:date|from|on)|valid (?:until|through)|validity",
                            re.I)

# A number asked with its unit: `多少家`, `几个`, `多少万元`, `比例`; -> what kind of number it is.
# Chinese measure words (量词), money and area units, longest first (`万亿元` is not `万`; `多少亿人`, `多少万亩` ask 人, 亩).
_UNITS = sorted("""万亿元 亿元 万元 元 平方公里 平方米 公里 千米 米 公顷 亩 吨 小时 家 个月 个 项 人 名 位 所 座 种 条 颗 台 套 户
    次 批 件 部 架 艘 辆 处 间 张 年 天 倍 期 类 支 只 周 岁""".split(), key=len, reverse=True)
_UNIT = UNIT_WORDS = "|".join(_UNITS)  # (UNIT_WORDS, facts.py: a count stated with a measure word)
_HOW_MANY = r"(?:多少|(?<![哪这那近头好十])(?<!(?<!提)前)(?<!过去)几)"  # not 哪几 (which), 这/近/前/过去/好/十几 (some)
_ASKED_UNIT = re.compile(rf"{_HOW_MANY}(?:({_UNIT})|(?:万|亿)({_UNIT})|(万亿|亿|万))|(比例|百分之|占比)")
# A ratio asked by its name before `多少` (`普及率要达到多少`, `占GDP比重的目标是多少`): what precedes is counted.
_ASKED_RATIO = re.compile(r"(比例|比重|占比|增速|增幅|涨幅|降幅|[\u4e00-\u9fff]率)(?:[^,,。;;??]{0,10}?(?:多少|几)|"
                          r"(?<=比例|比重|占比)[^,,。;;??]{0,10}?什么(?:下限|上限))")  # (a share's bound asked)
# Money asked by its name, with no unit (`给予多少补贴`, `补贴上限是多少`, `奖励金额是多少`, `多少钱`): an amount of
# money or a share of a cost states it (a subsidy may be `30%` of an investment).
MONEY_WORDS = r"补贴|补助|资助|奖励|奖补|扶持|资金|经费|金额|费用|劳务费|报酬|贴息|津贴|薪酬|拨款"
_ASKED_MONEY = re.compile(rf"({MONEY_WORDS})[^,,。;;??]{{0,8}}?(?:多少|几何)|多少[\u4e00-\u9fff]{{0,4}}?(钱|{MONEY_WORDS})")
# Words around an asked amount that say how it is paid or bounded, not what it is paid for (whole words).
# (`最多能`: a modal verb's too)
NOT_THING = re.compile(rf"[能可]?(?:{MONEY_WORDS}|拿到|能拿|获得|得到|给予|享受|提供|最多|最高|最少|最低|至少|上限|标准|可以|"
                       r"每年|一次性|一次|政府|支持|要求|规定|按规定|按照规定|提出|明确|之前|以前|需要|目标|"
                       r"分别|各自|提到|提及|讲到|说到|发布会|新闻发布会)[能可]?")  # (and how the things are asked for)
MONEY = "金额"  # the unit of an amount asked by its name
# A time asked for (`什么时候前要建成`, `哪一年前完成`), a length of time (`任期多长`, `多久`): a date, year, duration states it.
WHEN, HOW_LONG = "时间", "期限"
# Who, where, which university: a fact of a plan's body whose answer has a shape (a body's name, a place, a
# school's name); `facts.stating_clause` looks for a sentence about the thing asked that holds one.
ORG, PLACE, SCHOOL = "牵头或负责单位", "地点", "高校"
_ASKED_ENTITY = (
    (re.compile(rf"哪家(?:部门|单位|机构)|{WHICH}(?:部门|单位|机构)|由谁|谁(?:来|负责|牵头|组建|主导)"), ORG),
    (re.compile(r"哪几?所|哪(?:些|个|家|几个|几家)(?:高校|大学)"), SCHOOL),
    (re.compile(r"哪里|哪儿|什么地方|哪(?:个|些|几个)(?:城市|省|区|县|园区)"), PLACE))
# the role asked about is no part of the thing (`负责`; a text says `会同`, `组织`, `(责任单位:…)`)
_ROLE = re.compile(r"牵头|负责|主导|组织|组建|建在|设在|位于|布局在|合作")
# Whether a plan says something at all (`有没有给元宇宙企业税收优惠?`): judged by `facts.stating_clause` only for
# support a plan might give (`judged.offered`).
MENTION = "相关内容"
_ASKED_YES_NO = re.compile(r"有没有|是否|有无|能不能|可不可以|会不会|吗\s*[??]?\s*$")
COUNT = "数量"  # a count asked with no measure word (`要创建多少现代林业产业示范区`, `总数控制在多少以内`)
# `多少` + what is counted, written without a measure word; `多少支持`, `多少帮助` ask money or help, not a count
_ASKED_COUNT = re.compile(rf"{_HOW_MANY}(?!支持|帮助|扶持|优惠)(?=[\u4e00-\u9fff]{{2}})")
# a total asked by its name before `多少` (`实验室总数要控制在多少以内`): what precedes is counted
_ASKED_TOTAL = re.compile(rf"(总数|总量|数量|个数|家数|人数|规模)(?:[^,,。;;??]{{0,10}}?{_HOW_MANY}|(?<=规模)(?:有|是|为)?多大)")
_ASKED_WHEN = re.compile(r"什么时候|何时|哪一年|哪年|哪一天|哪天|几月份?|截止(?:时间|日期)")
_ASKED_HOW_LONG = re.compile(r"多久|多长时间|多长")
# a last part asking a bare `多少`, of what the part before it names
_BARE_HOW_MANY = re.compile(r"[,,]((?:具体|到底|究竟|一共|总共|最高|最多|最低|至少)?(?:说|提到?|规定|定|写|明确)?[的了]?"
                            r"(?:是|为|有)?(?:多少|几)[??]?\s*)$")
UNIT_KIND = {"万亿元": "金额", "万元": "金额", "亿元": "金额", "元": "金额", MONEY: "金额", "比例": "比例", "百分之": "比例",
             "占比": "比例", WHEN: "时间", HOW_LONG: "期限", COUNT: "数量", ORG: ORG, PLACE: PLACE, SCHOOL: SCHOOL,
             MENTION: MENTION}


@dataclass(frozen=True)
class AskedNumber:
    unit: str  # `家`, `万元`, `比例`
    thing: str  # what is counted, as the question writes it after the unit (`概念验证平台`), may be ''

# Words around a number that say how it is bounded, not what is counted.
_BOUNDS = re.compile(r"最多|最少|最高|最低|至少|一般|大约|大概|总共|一共|能|可以|要|需要|将")

# a question's own asking words: a last part holding one asks there (`我们招了几个外国专家,…有什么便利措施?`)
_ASKS = re.compile(rf"什么|哪|怎么|怎样|如何|吗|是否|有没有|能否|谁|{_HOW_MANY}")
_ASKS_BEFORE = re.compile(rf"{_ASKS.pattern}|多长|多久|多大")  # where a question before the last starts asking
_SEVERAL = re.compile(r"(?:^|[,,;;。!!??])(?:[^,,;;。!!??多]*我[^,,;;。!!??多]*|)几(?![^,,;;。!!??]*[??])")
# how a number is set, not the number (`运营商收多少钱是怎么定的`, `补贴多少如何确定`)
_ASKED_HOW = re.compile(r"(?:多少|几)[^,;。?]{0,6}?(?:是)?(?:怎么|怎样|如何)(?:定|确定|算|计算|核定|核算)")


def asks_elsewhere(question: str, number: bool = False) -> bool:
    """The last part asks, and asks no fact (`number`: no number; a `几` in the asker's own part or opening one is
    `several`: `我手里有几只股票,…有没有说…`): a number word before it describes the asker (`招了几个外国专家`)."""
    parts = [p for p in re.split(r"[,,;;。!!??]", question) if p.strip()]
    return len(parts) > 1 and bool(_ASKS.search(parts[-1])) and not _asks_fact(parts[-1], number)


def _asks_fact(part: str, number: bool = False) -> bool:
    """Does this part of a question ask a number, a time, or (not `number`) who, where, which school, yes or no?"""
    patterns = (_ASKED_UNIT, _ASKED_RATIO, _ASKED_MONEY, _ASKED_COUNT, _ASKED_TOTAL, _ASKED_WHEN, _ASKED_HOW_LONG,
                *(() if number else (_ASKED_YES_NO, *(p for p, _ in _ASKED_ENTITY))))
    return any(p.search(part) for p in patterns)


ELLIPTICAL = 6  # characters of a last question's thing that leave it to the question before


def asked_number(question: str, is_word: Callable[[str], bool]) -> AskedNumber | None:
    """… of its last question, of the matter the question before it names when they are asked together
    (`实验室评估由谁来做?多久评一次?`: how often the evaluation is done)."""
    if (asked := _asked_number(question, is_word)) is None:
        return None
    parts = [p for p in re.split(r"[??]", question) if p.strip()]
    fact = len(parts) > 1 and (_asks_fact(parts[-2]) or re.search(_HOW_MANY, parts[-2]) is not None)  # (多久: a fact)
    before = _ASKS_BEFORE.split(parts[-2])[0] if fact else ""  # (only when it asks a fact too: its words before it asks)
    if before and asked.thing.strip(" ?") in parts[-1] \
            and len(re.findall(r"[\u4e00-\u9fff]", asked.thing)) <= ELLIPTICAL:  # (a thing of its own: its own)
        return AskedNumber(asked.unit, f"{before},{asked.thing}")
    return asked


def _asked_number(question: str, is_word: Callable[[str], bool]) -> AskedNumber | None:
    """The number a question asks for, when it names its unit (`多少家概念验证平台` -> 家, 概念验证平台). A unit that
    starts a longer dictionary word is no unit (`多少元宇宙企业`, `多少人才`, `多少支持`)."""
    question = _BARE_HOW_MANY.sub(r"\1", question)  # (`…补贴比例,具体提到多少?` asks the ratio)
    if asks_elsewhere(question, number=bool(_SEVERAL.search(question))) or _ASKED_HOW.search(question):
        return None
    m = _ASKED_UNIT.search(question)
    ratio = _ASKED_RATIO.search(question)
    if ratio and (not m or m.group(4)):  # an explicit unit asks for itself (`提高效率的企业奖励多少万元`)
        thing = re.split(r"[??,,。;!、在对把将]", question[: ratio.end(1)])[-1]
        # a `…率` may be a share (普及率) or a rate with a unit of its own (刷新率 90Hz): any number states it
        return AskedNumber("率" if ratio.group(1).endswith("率") else "比例", _BOUNDS.sub("", thing))
    if m is not None:
        group = next(g for g in (1, 2, 3, 4) if m.group(g))
        unit = m.group(group)
        start = m.start(group)
        if group == 4 or not any(is_word(question[start:start + len(unit) + k]) for k in (1, 2, 3)
                                 if start + len(unit) + k <= len(question)):
            thing = re.split(r"[??,,。;!、的是要将在]", question[m.end():], maxsplit=1)[0]
            if not thing:  # `…一次性奖励多少万元?`: what is counted comes before the number
                thing = re.split(r"[??,,。;!、的对在]", question[: m.start()])[-1]
            return AskedNumber(unit, _BOUNDS.sub("", thing))
    money = _ASKED_MONEY.search(question)
    if money is None:
        if ASKS_EFFECTIVE.search(question):
            return None
        return _asked_time(question) or _asked_count(question, is_word)
    # what the money is for: the question's words before it (`被遴选为标杆示范场景的,能拿多少奖励`); the money
    # words (any of them names money: `补贴多少` is answered by `支持金额最高3000万元`) and the words of paying
    # (`能拿到`, `给予`, `上限`) are no part of it (`NOT_THING`, dropped as words by `facts.stating_clause`)
    end = money.end(1) if money.group(1) else money.start()
    return AskedNumber(MONEY, re.split(r"[??。;!]", question[:end])[-1])


def asked_entity(question: str) -> AskedNumber | None:
    """`…专家委员会由哪个部门牵头组建?` -> (ORG, the question without those words): who, where or which school is
    asked of something a plan's body does (who issued a document is a document fact: `about_document`); or
    whether a plan says something at all (MENTION)."""
    if asks_elsewhere(question):
        return None
    for pattern, kind in _ASKED_ENTITY:
        if (m := pattern.search(question)) is not None:
            return AskedNumber(kind, _ROLE.sub(" ", question[:m.start()] + " " + question[m.end():]))
    if _ASKED_YES_NO.search(question):
        return AskedNumber(MENTION, _ASKED_YES_NO.sub(" ", question))
    return None


def _asked_count(question: str, is_word: Callable[[str], bool]) -> AskedNumber | None:
    """A count asked with no measure word: of what follows `多少`, when it starts with a word (`多少现代林业…`, not
    `干活多少来补`), or of a total named before it (`总数`, `规模`)."""
    total = _ASKED_TOTAL.search(question)
    if total is not None:
        parts = re.split(r"[??,,。;!、在对把将]", question[: total.end(1)])
        thing = _BOUNDS.sub("", parts[-1])
        if thing.startswith(total.group(1)) and len(parts) > 1:  # `专项资金,规模有多少`: of the part before
            thing = parts[-2] + thing
        return AskedNumber(COUNT, thing)
    m = _ASKED_COUNT.search(question)
    if m is None:
        return None
    thing = re.split(r"[??,,。;!、的是要将在]", question[m.end():], maxsplit=1)[0]
    if not any(is_word(thing[:k]) for k in (2, 3, 4) if k <= len(thing)):
        return None
    return AskedNumber(COUNT, _BOUNDS.sub("", thing))


def _asked_time(question: str) -> AskedNumber | None:
    """A time or a length of time asked of a plan's body; what is timed is the rest of its sentence. (When a
    document takes effect, and for how long, is answered by its own clauses: `ASKS_EFFECTIVE`.)"""
    for pattern, unit in ((_ASKED_WHEN, WHEN), (_ASKED_HOW_LONG, HOW_LONG)):
        if (when := pattern.search(question)) is not None:
            sentence = next(p for p in re.split(r"[??。;!]", question) if when.group() in p)
            return AskedNumber(unit, sentence.replace(when.group(), " ", 1))
    return None
