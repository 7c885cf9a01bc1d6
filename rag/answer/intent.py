"""What a question asks, read from its words alone: its language, whether it compares plans, refers back to
the previous turn, asks about the document itself (文号, date, issuer, addressees), asks a number, or is a
company describing itself. No retrieval here."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from ..text.patterns import BODY, DATE, DOC_NUMBER_SHAPE, EFFECTIVE, OWNER, SALUTATION

# a company describing itself and asking what support it can get
SELF_DESCRIPTION = re.compile(r"(?:我们|我司|本公司|我公司|本企业|我是)[^??]{0,40}?(?:公司|企业|厂|工作室|团队|初创|创业)")
ASKS_SUPPORT = re.compile(r"政策|支持|补贴|补助|扶持|适用|享受|申请|优惠|奖励")
# a document named by its kind (`浙江元宇宙行动计划里…`): a company asking what it says asks a question
# (not `我们公司计划明年…`, `有什么办法申请`: a kind of document with what makes it one, or said to hold something)
NAMES_DOCUMENT = re.compile(r"《|行动计划|发展计划|实施方案|行动方案|工作方案|发展规划|纲要|管理办法|实施办法|实施细则|若干意见|"
                            r"指导意见|实施意见|条例|问答实录|(?:计划|方案|规划|办法|细则|意见|措施)(?:里|中|上|提到|规定|对)")
SIZE_WORDS = (("中小企业", "中小"), ("小微", "小型"), ("小型", "小型"), ("微型", "微型"), ("中型", "中型"),
              ("大型", "大型"))
STARTUP = re.compile(r"初创|刚成立|创业")
QUANTITY = re.compile(r"多少|几[个家项年]|多大|多高|多长|规模|目标|金额|额度|比例|上限|最高|补助|补贴|奖励|资助|"
                      r"how much|how many|how large|how big|how often|how long|how frequent|what share|what proportion|"
                      r"what percentage|what scale|what size|target|amount|percent|subsid", re.I)
# (a year is no amount, nor a period: `2027年`, `2025—2027年`)
NUMBER = re.compile(r"(?<!\d)(?!(?:19|20)\d\d(?:年|\s*[—–\-~至到]\s*(?:19|20)\d\d年))\d|"
                    r"[一二三四五六七八九十百千万亿]+(?:个|家|项|人|亿|万)")
# (`哪几个` compares plans when it asks which places or plans: `评估结果分为哪几个等级` asks one plan's list)
# (`都在哪几个地方?` asks where something is; `在哪些地方有…政策` which places have one)
COMPARE = re.compile(r"分别|各有|各是|各自|各(?:提出|规定|要求|设定|明确|部署|安排|强调|怎么|怎样|如何)|"
                     r"(?<!在)哪些(?:地方|地区|省|市|城市|计划)|比较|对比|各省|各市|各地|各个|各计划|"
                     r"(?<!在)哪几个(?:地方|地区|省|市|城市|区|县|计划|文件|方案|规划|政策)|"
                     r"在哪(?:些|几个)(?:地方|地区|省|市|城市|区|县)"
                     r"(?=有[^??]{0,8}(?:政策|文件|规定|措施|计划|方案)|出台|发布|印发)|"
                     r"不同地区|区别|差异|异同|compare|comparison|which (?:plans|regions|provinces|cities)|"
                     r"each (?:plan|province|region)|differ", re.I)
# a question about the national level (of plans named alike, a national one is meant too); not a place's standing
# in the country (`全国知名`, `nationally known`: the place's own plan says it)
NATIONAL = re.compile(r"国家|全国(?!知名|领先|一流|前列|第一|率先|首个|首家|首批|闻名|著名)|国务院|中央|国家级|\bnational\b|"
                      r"State Council|central government", re.I)
CLAUSE_REF = re.compile(r"这一?条|该条|上一条|这项|该项|这个措施|该措施|这个条款|该条款|上述|这一?款|它的|this (?:item|clause)",
                        re.I)
PLAN_REF = re.compile(r"这个计划|该计划|这份计划|这份文件|该文件|这个文件|this plan", re.I)
FOLLOW_UP_TAIL = re.compile(r"(?:呢|的呢|怎么样|如何|又如何)[??]?$|^(?:那|那么|那么在|还有|and|what about)", re.I)
FOLLOW_UP_FILLERS = ("呢", "那", "那么")
_LATIN = re.compile(r"[A-Za-z]")
# A phrase the question quotes (`“元宇宙+”`): the asker copied it from somewhere. (A 《title》 names a document:
# plan resolution reads those.)
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
# A question asking what a term means, and a sentence defining one (`本规定所称X,是指…`, `X的含义`).
DEFINES = re.compile(r"怎么定义|如何定义|怎样定义|的定义|定义是|是指什么|指什么|指的是什么|什么叫|的含义|含义是|what is meant by|"
                     r"definition of|how is .* defined", re.I)
DEFINITION = re.compile(r"是指|系指|所称|指的是|含义")
_TERM_BEFORE = re.compile(r"([\u4e00-\u9fffA-Za-z0-9()]{2,20}?)"
                          r"(?:是怎么定义的|是如何定义的|的定义|是指什么|指什么|指的是什么|的含义)")

_ASKING = re.compile(r"^(?:请问|请教|想问|我想知道|想了解|本办法中|本规定中|本条例中|文件中|文中|这里的|所谓)+")


def defined_term(question: str) -> str | None:
    """The term a definition question asks about: the phrase it quotes, else the words before `是指什么`."""
    if quoted := QUOTED.findall(question):
        return quoted[0]
    m = _TERM_BEFORE.search(question)
    return (_ASKING.sub("", m.group(1)) or None) if m else None

# Where in the document something is said: the answer names the headings above the clause.
STRUCTURE = re.compile(r"哪一?部分|哪一?章|哪一?节|哪一?条|第几条|第几章|哪个章节|哪个板块|哪一?项任务|哪一?个方面|"
                       r"which (?:part|section|chapter|article)", re.I)

# (`发给` not in `研发给予`, `开发给企业`)
ADDRESSEES = re.compile(r"主送|印发给|(?<![研开])发给(?!予)|下发给|下发到|发至|发送给|addressed to|sent to|recipients", re.I)
# Questions about the plan's own facts, and what a sentence stating that fact looks like; when it takes effect (not `实施行动`)
ASKS_EFFECTIVE = re.compile(r"(?<!实)施行|生效|实施日期|开始实施|起实施|何时实施|什么时候实施|有效期|take effect|"
                            r"come into (?:force|effect)|effective (?:date|from|on)|valid (?:until|through)|validity",
                            re.I)
_WHICH = r"哪(?:个|些|几个|几家)"  # which one or ones (`由哪几个部门联合印发`)
WHICH_BODY = rf"{_WHICH}(?:部门|机关|单位)"
META_INTENTS = (
    (re.compile(r"文号|发文字号|document number", re.I), DOC_NUMBER_SHAPE),
    (re.compile(r"哪天|哪一天|何时|什么时候|日期|哪年|when|date", re.I), DATE),
    (re.compile(rf"谁|{WHICH_BODY}|机关|发布单位|issued|issuer|which (?:department|body)", re.I), BODY),
    (re.compile(r"负责|责任单位|牵头|主管|responsible|in charge|\bleads?\b|\bleading (?:body|department|unit)", re.I), OWNER),
    (ADDRESSEES, SALUTATION),
    (ASKS_EFFECTIVE, EFFECTIVE),
)
# what an answer says no quote states: (asked by, stated by, name, English name); whom it was sent to is not who sent it
META_NAMES = ((re.compile(r"文号|发文字号|document number", re.I), DOC_NUMBER_SHAPE, "文号", "document number"),
              (re.compile(r"哪天|哪一天|何时|什么时候|日期|when|date", re.I), DATE, "印发日期", "issue date"),
              (re.compile(rf"谁|{WHICH_BODY}|机关|单位|issued by|which", re.I), BODY, "印发机关", "issuing body"),
              (ADDRESSEES, SALUTATION, "主送单位", "addressees"))
_DOCUMENT = re.compile(r"计划|方案|文件|通知|政策|办法|规定|细则|意见|规划|纲要|措施|报告|条例|"
                       r"plan|document|policy|measures|regulation|opinion|rules", re.I)
# (a when-question is about the document when it asks when it was issued — `什么时候印发`, `是哪天的文件` —, not a deadline)
_ABOUT_DOCUMENT = re.compile(rf"文号|发文字号|印发|发布(?!会)|发文|出台|成文|机关|(?:是|由){_WHICH}部门|"
                             rf"{_WHICH}部门(?=.*(?:制定|颁布|签发|发的|出的))|"
                             r"(?:是|为)[^,,。??]{0,12}(?:哪天|哪一天|什么时候|何时|哪一?年)[^,,。??]{0,12}的[??]?$|"
                             r"日期是|什么日期|"
                             r"issued|published|released|document number|date of|" + ADDRESSEES.pattern, re.I)
ISSUANCE = re.compile(r"印发|发布|出台")

# A number asked with its unit: `多少家`, `几个`, `多少万元`, `比例`; -> what kind of number it is.
# Chinese measure words (量词), money and area units, longest first (`万亿元` is not `万`; `多少亿人`, `多少万亩` ask 人, 亩).
_UNITS = sorted("""万亿元 亿元 万元 元 平方公里 平方米 公里 千米 米 公顷 亩 吨 小时 家 个月 个 项 人 名 位 所 座 种 条 颗 台 套 户
    次 批 件 部 架 艘 辆 处 间 张 年 天 倍 期 类 支 只 周 岁""".split(), key=len, reverse=True)
_UNIT = UNIT_WORDS = "|".join(_UNITS)  # (UNIT_WORDS, facts.py: a count stated with a measure word)
_HOW_MANY = r"(?:多少|(?<![哪这那近头好十])(?<!(?<!提)前)(?<!过去)几)"  # not 哪几 (which), 这/近/前/过去/好/十几 (some)
_ASKED_UNIT = re.compile(rf"{_HOW_MANY}(?:({_UNIT})|(?:万|亿)({_UNIT})|(万亿|亿|万))|(比例|百分之|占比)")
# A ratio asked by its name before `多少` (`普及率要达到多少`, `占GDP比重的目标是多少`): what precedes is counted.
_ASKED_RATIO = re.compile(r"(比例|比重|占比|增速|增幅|涨幅|降幅|[\u4e00-\u9fff]率)[^,,。;;??]{0,10}?(?:多少|几)")
# Money asked by its name, with no unit (`给予多少补贴`, `补贴上限是多少`, `奖励金额是多少`, `多少钱`): an amount of
# money or a share of a cost states it (a subsidy may be `30%` of an investment).
MONEY_WORDS = r"补贴|补助|资助|奖励|奖补|扶持|资金|经费|金额|费用|劳务费|报酬|贴息|津贴|薪酬|拨款"
_ASKED_MONEY = re.compile(rf"({MONEY_WORDS})[^,,。;;??]{{0,8}}?(?:多少|几何)|多少[\u4e00-\u9fff]{{0,4}}?(钱|{MONEY_WORDS})")
# Words around an asked amount that say how it is paid or bounded, not what it is paid for (whole words).
NOT_THING = re.compile(rf"[能可]?(?:{MONEY_WORDS}|拿到|能拿|获得|得到|给予|享受|提供|最多|最高|上限|标准|可以|每年|一次性|政府|"
                       r"支持|要求|规定|提出|明确|之前|以前|需要|目标)[能可]?")  # (`最多能`: a modal verb's too)
MONEY = "金额"  # the unit of an amount asked by its name
# A time asked for (`什么时候前要建成`, `哪一年前完成`), a length of time (`任期多长`, `多久`): a date, year, duration states it.
WHEN, HOW_LONG = "时间", "期限"
# Who, where, which university: a fact of a plan's body whose answer has a shape (a body's name, a place, a
# school's name); `facts.stating_clause` looks for a sentence about the thing asked that holds one.
ORG, PLACE, SCHOOL = "牵头或负责单位", "地点", "高校"
_ASKED_ENTITY = (
    (re.compile(rf"哪家(?:部门|单位|机构)|{_WHICH}(?:部门|单位|机构)|由谁|谁(?:来|负责|牵头|组建|主导)"), ORG),
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
_ASKED_TOTAL = re.compile(rf"(总数|总量|数量|个数|家数|人数|规模)[^,,。;;??]{{0,10}}?(?:{_HOW_MANY}|多大)")
_ASKED_WHEN = re.compile(r"什么时候|何时|哪一年|哪年|哪一天|哪天|几月份?|截止(?:时间|日期)")
_ASKED_HOW_LONG = re.compile(r"多久|多长时间|多长")
# a last part asking a bare `多少`, of what the part before it names
_BARE_HOW_MANY = re.compile(r"[,,]((?:具体|到底|究竟|一共|总共|最高|最多|最低|至少)?(?:说|提到?|规定|定|写|明确)?[的了]?"
                            r"(?:是|为|有)?(?:多少|几)[??]?\s*)$")
UNIT_KIND = {"万亿元": "金额", "万元": "金额", "亿元": "金额", "元": "金额", MONEY: "金额", "比例": "比例", "百分之": "比例",
             "占比": "比例", WHEN: "时间", HOW_LONG: "期限", COUNT: "数量", ORG: ORG, PLACE: PLACE, SCHOOL: SCHOOL,
             MENTION: MENTION}

Want = tuple[re.Pattern[str], float]  # a shape of the sentence asked for, and how much finding it counts


def is_english(text: str) -> bool:
    letters = len(_LATIN.findall(text))
    return letters > 0 and letters >= 0.5 * len(re.sub(r"\s", "", text))


def is_company(text: str) -> bool:
    """`我们是杭州一家做VR头显的中小企业,有什么政策?`"""
    return bool(SELF_DESCRIPTION.search(text) and ASKS_SUPPORT.search(text))

# Facts the body states, not the issuing notice: who leads an item or approves a filing (`善后处理方案要报哪个部门批准`),
# and when a regulation takes effect (its closing article: `本办法自…起施行`).
_BODY_FACT = re.compile(r"负责|牵头|责任单位|批准|审批|审核|备案|施行|生效|有效期|实施日期|起实施|responsible|take effect|"
                        r"effective|valid", re.I)
# who issued it, asked outright: `由哪个部门牵头、几个部门联合印发的?` is about the document, though 牵头 is a body's word
_ISSUED_ASKED = re.compile(r"(?:联合)?(?:印发|发布|出台|发文)的?[??]?\s*$")
# issuing another document, a body's task (`成员单位出台重要涉农政策时要履行什么程序`) — not this one (`该方案`, a 《title》)
_ISSUES_OTHER = re.compile(r"(?:印发|发布(?!会)|出台|发文|制定|颁布)(?![的了该本这此])[\u4e00-\u9fff]{0,8}?"
                           r"(?:政策|规划|标准|细则|办法|方案|意见|措施|文件|制度)(?!的?通知)|(?:印发|发布|出台)的(?:哪|什么)")
_NOTICE_FACT = re.compile(r"文号|字号|主送|落款|成文")
# yet to be issued, or issued and not the document (`how are subsidies released`, `are the subsidies under the plan`): no question
_TO_BE_ISSUED = re.compile(r"\b(?:(?:be|being)\s+|(?:are|is|were|was)\s+(?!(?:(?!(?:issued|published|released|under|in|"
                           r"of|from|for|by|within)\b)[a-z-]+\s+){0,5}?(?:(?:plan|document|polic|measure|regulation|opinion|"
                           r"rule|notice)[a-z]*|it|this|that)\b)(?:[a-z-]+\s+){1,8}?)(?:issued|published|released)\b", re.I)


def about_document(text: str) -> bool:
    """`四川元宇宙行动计划是哪些部门联合印发的?`: a question about the document itself (its notice, its issuance)."""
    other = _ISSUES_OTHER.search(re.sub(r"《[^》]*》", "", text)) and not _NOTICE_FACT.search(text)
    return bool(_DOCUMENT.search(text) and _ABOUT_DOCUMENT.search(_TO_BE_ISSUED.sub("", text)) and not other
                and (not _BODY_FACT.search(text) or _ISSUED_ASKED.search(text)))


@dataclass(frozen=True)
class AskedNumber:
    unit: str  # `家`, `万元`, `比例`
    thing: str  # what is counted, as the question writes it after the unit (`概念验证平台`), may be ''

# Words around a number that say how it is bounded, not what is counted.
_BOUNDS = re.compile(r"最多|最少|最高|最低|至少|一般|大约|大概|总共|一共|能|可以|要|需要|将")

# a question's own asking words: a last part holding one asks there (`我们招了几个外国专家,…有什么便利措施?`)
_ASKS = re.compile(rf"什么|哪|怎么|怎样|如何|吗|是否|有没有|能否|谁|{_HOW_MANY}")
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


def asked_number(question: str, is_word: Callable[[str], bool]) -> AskedNumber | None:
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


def wants(question: str, number_weight: float) -> list[Want]:
    """Shapes of the sentence the question asks for: a document fact's counts 1, a number `number_weight`."""
    out: list[Want] = [(shape, 1.0) for intent, shape in META_INTENTS if intent.search(question)]
    if DEFINES.search(question):  # a definition; the one of the term asked first (`(三)关口站,是指…`), not one naming it
        out.append((DEFINITION, 1.0))  # in another's (`配套通信平台,是指…包括关口站…`)
        if term := defined_term(question):
            term = re.split(r"(?:中|里)?的|所称", term)[-1] or term  # (`…管理规定中的关口站`; not 中小企业's 中)
            out.append((re.compile(rf"{re.escape(term)}(?:[((][^))]{{0,20}}[))])?[”」』\"]?[,,:]?\s*"
                                   r"(?:是指|系指|指的是|指(?![标导南引定出明挥]))"), 1.0))
    if QUANTITY.search(question):
        out.append((NUMBER, number_weight))
    return out
