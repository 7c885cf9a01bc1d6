"""What a question asks, read from its words alone: its language, whether it compares plans, refers back to
the previous turn, asks about the document itself (文号, date, issuer, addressees), asks a number, or is a
company describing itself. No retrieval here."""
from __future__ import annotations

import re

from ..text.patterns import BODY, DATE, DOC_NUMBER_SHAPE, EFFECTIVE, OWNER, SALUTATION
from .asked import ASKS_EFFECTIVE
from .asked import WHICH as _WHICH

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
                      r"what percentage|what scale|what size|target|amount|percent|subsid|"
                      r"\b(?:minimum|maximum|total|required)(?: [a-z-]+){0,2} (?:number|amount|area|size|term)\b", re.I)
# (a year is no amount, nor a period: `2027年`, `2025—2027年`)
NUMBER = re.compile(r"(?<!\d)(?!(?:19|20)\d\d(?:年|\s*[—–\-~至到]\s*(?:19|20)\d\d年))\d|"
                    r"[一二三四五六七八九十百千万亿]+(?:个|家|项|人|名|亿|万|平方|亩|吨|倍)")
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
# Questions about the plan's own facts, and what a sentence stating that fact looks like.
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
_ABOUT_DOCUMENT = re.compile(rf"文号|发文字号|印发|发布(?!会)|发文|出台|成文|机关|(?:是|由){_WHICH}部门(?![^,,。??]*?"
                             r"(?:会同|组织|开展|推进|落实|评估|实施|承担|管理|审核|认定|监管|指导))|"
                             rf"{_WHICH}部门(?=.*(?:制定|颁布|签发|发的|出的))|"
                             r"(?:是|为)[^,,。??]{0,12}(?:哪天|哪一天|什么时候|何时|哪一?年)[^,,。??]{0,12}的[??]?$|"
                             r"日期是|什么日期|"
                             r"issued|published|released|document number|date of|" + ADDRESSEES.pattern, re.I)
ISSUANCE = re.compile(r"印发|发布|出台")


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
_TO_BE_ISSUED = re.compile(r"\b(?:(?:be|being)\s+|(?:are|is|were|was)\s+(?!(?:(?:each|both|all|one|first|last|which|any|"
                           r"either|neither)\s+of\s+|(?!(?:issued|published|released|under|in|of|on|per|about|from|for|by|"
                           r"within)\b)[a-z-]+\s+){0,5}?(?:(?:plan|document|polic|measure|regulation|opinion|rule|notice)[a-z]*|"
                           r"it|this|that)\b)(?:[a-z-]+\s+){1,8}?)(?:issued|published|released)\b", re.I)


def about_document(text: str) -> bool:
    """`四川元宇宙行动计划是哪些部门联合印发的?`: a question about the document itself (its notice, its issuance)."""
    other = _ISSUES_OTHER.search(re.sub(r"《[^》]*》", "", text)) and not _NOTICE_FACT.search(text)
    return bool(_DOCUMENT.search(text) and _ABOUT_DOCUMENT.search(_TO_BE_ISSUED.sub("", text)) and not other
                and (not _BODY_FACT.search(text) or _ISSUED_ASKED.search(text)))



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
