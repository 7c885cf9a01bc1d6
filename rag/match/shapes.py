"""Sentence shapes of Chinese policy language that the measure extractor (`measures.py`) reads: which headings give
nothing, the spans of a measure's conditions (selection, threshold, founding age, place, other, merit), offers
(`为…企业提供`), reports of what was already done, eligibility criteria, and the words around a recipient."""
from __future__ import annotations

import re

from .amounts import NUM as _NUM

# headings whose clauses state goals, principles, the plan's thinking, or its background and past results: nothing
# is given there
NOT_MEASURE = re.compile(r"目标|指导思想|基本原则|发展思路|总体思路|发展定位|背景(?!下)|发展现状|面临的?形势|发展形势|形势分析|"
                          r"取得.{0,4}成[效就]|主要成就")
GIVES = re.compile(r"给予|奖励|补贴|补助|资助|支持")  # (`对取得重大科技成就的团队给予奖励` is a measure's heading)
MONEY_UNIT = r"(?:万元|亿元|元|%|％|倍|万|个百分点)"
# conditions: each a span of the sentence
# (`纳入`/`列入` a scheme is a condition as an attribute, `纳入…名单的企业`; `将…企业纳入…支持范围` gives the scheme)
SELECTION = re.compile(r"(?:首次|初次|新|当年|已|经)?(?:入选|获评|获批|获得|认定为|通过认定|被认定为|评为|"
                        r"被评为|获认定|取得|承担|牵头承担)[^,，;；。的]{2,30}?(?=的|后|,|，)"
                        r"|(?:已|经)?(?:列入|纳入)[^,，;；。的]{2,30}?(?=的|后)"
                        r"|(?:首次|初次)(?:入选|获评|获批|认定|被认定|评为|被评为)(?=的)")  # (`对初次入选的瞪羚企业`)
THRESHOLD = re.compile(rf"(?:总投资|投资额|固定资产投资|设备投资|营业收入|营收|主营业务收入|产值|销售额|销售收入|"
                        rf"合同金额|交易额|研发投入|研发费用|纳税|融资额|估值|增长|年收入)[^,，;；。]{{0,16}}?"
                        rf"(?:{_NUM}\s*{MONEY_UNIT})(?:以上|及以上|以内|以下)"
                        rf"|(?:达到|超过|不低于|不少于){_NUM}\s*{MONEY_UNIT}(?:以上)?")
FOUNDED = re.compile(rf"(?:成立|注册|设立|创办)(?:时间)?(?:不满|不超过|未满|不足|在)?{_NUM}年(?:以内|以下|内)?")
LOCATION = re.compile(r"(?:新)?(?:落户|注册(?:在|于)|迁入|设立在|设在|位于|在本市注册|在本区注册)[^,，;；。的]{0,12}")
OTHER = re.compile(r"符合(?:条件|要求|规定|标准)的?|经(?:认定|评审|审核|评估)的?|按(?:照)?(?:有关|相关)?规定")
# `为…企业提供…`, `向企业用户开放`: a service or a resource given to whom the words between name, with no instrument word
OFFER = re.compile(r"(?<![认作成因行称视以])(?:为|向|面向)([^,，;；。]{1,24}?)[,，]?(?:免费|无偿|优先|定期|按需)?"
                    r"(提供|开放)(?!了)")
# … not a report of what was done (`累计为200余家企业提供…`, `已向…开放`)
DONE = re.compile(r"已|已经|累计|共|先后|曾")
# not promises: a question (a 问答's interviewer), and eligibility criteria (`专家应当具有…`, `具有…的资金;`)
QUESTION = re.compile(r"[?？]\s*$")
OWN_PLACE = re.compile(r"本市|全市|我市|本省|全省|我省")  # a city's or province's own place, named as such
CRITERIA = re.compile(r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.]\s*)?(?:具有|具备)|应当?(?:具有|具备|是)|须具备|需具备")
# a number of firms before a qualification or size word
COUNTED = re.compile(rf"{_NUM}\s*(?:多|余)?(?:家|个|户)[^,，;；。]{{0,4}}$")
# an award or a fund obtained or judged elsewhere (`获得科技奖励`, `申报奖励`, `奖励评审`) is not what the plan gives
EARNED = re.compile(r"(?<!可)(?<!可以)(?:获得|获|申报|申请)")  # (`可申请贷款贴息` is the plan's promise)
# what follows an instrument word when it gives nothing (matched right after it):
# - an award or a fund judged elsewhere (`奖励评审`);
# - who deals in it, a trade or a system (`保险机构`, `数字人保险经理`, `免税业`, `财税体制改革`; `基金管理机构…开展…投资`
#   still invests);
# - the last of sectors listed, where nothing is given (`聚焦银行、保险、证券等领域,推广…`; not `在财税、用地等领域给予…`)
NOT_GIVEN = re.compile(r"评审|评选|评价|(?:机构|公司|经理|经纪|从业|体制|业(?![务绩主]))|"
                       r"(?:[、和及与][^,，;；。、]{1,6}){0,4}等(?:领域|行业)(?![^,，;；。]*(?:给予|予以|支持|提供|补贴|奖励))")
# `对…的X给予`, `为X提供`: where the recipient sits; `支持X`, `鼓励X`: the recipient follows
TO_OBJECT = re.compile(r"对(?!于|接|标|外|照)|向(?!着)|为(?!了|主|核心|重点|引领|导向|支撑|抓手)")
SUPPORT_VERB = re.compile(r"支持|鼓励|扶持|引导|推动|帮助")
# a verb phrase before a recipient (`推动各类金融机构`) is what the plan does, not the recipient's field
ACTION = re.compile(r"^(?:推动|加快|健全|完善|加大|创新|支持|鼓励|引导|推进|建设|打造|培育|发展|提升|强化|实施|开展|组织|"
                     r"引进|吸引|服务|面向|围绕|依托|联合|促进|带动|做好|落实|统筹|发挥|用好|制定|出台|探索|建立|构建|提高|加强|扩大|"
                     r"降低|优化|保障)")
# where the words naming a recipient's field begin (`对…`, `将科技服务业企业纳入…`)
FIELD_STOP = re.compile(r"[,，;；。、:：(（)）“”《》]|对|为|向|将|把|支持|鼓励|扶持|的")
# words before a recipient that say nothing of its field
BLAND = re.compile(r"^(?:相关|重点|优质|优秀|各类|本地|本市|本区|我市|我省|全市|全省|有关|符合条件|一批|骨干|新|其他|"
                    r"各|这些|该|此类|上述|以上|首次|初次|当年|新增|新认定|认定|获批|市级|省级|国家级|区级|[的等和与及、])+$")
# where an attribute of a recipient (`对创新性强、融合性广的元宇宙企业`) begins: a break, or the word introducing whom
# the measure is for
ATTRIBUTE_START = re.compile(rf"[,，;；。:：]|{TO_OBJECT.pattern}|{SUPPORT_VERB.pattern}|给予|面向|针对")
# a sentence that gives nothing itself: the head of a spoken list whose next sentences say what is given (`一是降低融资
# 成本。`), and a report of what is already in place (`目前,我市已设立总规模约150亿元的未来产业基金`)
LIST_HEAD = re.compile(r"^[一二三四五六七八九十]是[^,，;；。]{2,14}[。；;]?$")
# (opening with when it is said: `对已落户本市的总部企业给予…` is a condition, not a report)
IN_PLACE = re.compile(r"^(?:目前|截至[^,，]{0,10}|截止[^,，]{0,10})[,，]?[^,，;；。对为向]{0,8}?已")
