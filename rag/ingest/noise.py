"""Web-page furniture: which cleaned lines are not document text, and why.

Every rule is general (no file names, no per-document cases). Each dropped line is kept with its reason
(see `policyqa show PLAN --dropped`), so nothing the user gave us disappears without a trace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Site navigation and account widgets. A line made only of these words (with separators) is furniture:
# `搜索历史`, `热搜词`, `个人中心`, `购物车`, `今日签到`, `有新私信 私信列表`, `更多`.
_UI_WORDS = sorted(
    """搜索 搜索历史 热搜词 热门搜索 热搜 个人中心 购物车 优惠劵 优惠券 今日签到 签到 私信 私信列表 有新私信
    登录 注册 退出 首页 更多 分享 收藏 点赞 打印 关闭 关闭窗口 返回顶部 返回 字号 大 中 小 阅读 评论 参与讨论
    扫一扫 微信 微博 QQ空间 手机版 网站地图 无障碍 繁体 简体 English 导航 菜单 会员中心 我的订单""".split(),
    key=len, reverse=True,
)
_UI_LINE = re.compile(r"^(?:(?:%s)[\s|/·()\d]*)+$" % "|".join(map(re.escape, _UI_WORDS)))

_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|所在位置)[::]")
_COMMENTS = re.compile(r"暂无评论|暂无讨论|说说你的看法|发表评论|条回复|评论仅代表|网友评论|我要评论")
# Advertising: mobile/landline phone numbers (`15855199550/19855109130(可加v)`) and sales patter
# (`卧涛小编可以为您带来…`).
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)|(?<!\d)0\d{2,3}-\d{7,8}(?!\d)|400-?\d{3}-?\d{4}")
_ADS = re.compile(r"小编|为您带来|免费咨询|免费指导|加微信|可加v|扫码关注|关注公众号|客服电话|立即咨询")
_SITE_FOOTER = re.compile(r"版权所有|Copyright|©|ICP备|本站|文章链接|原文链接|文章标题[::]|更新时间[::]|责任编辑|网站声明")
# A time stamp alone on a line: `| 2023-09-18 11:53`, `04月28日`, `2022-12-16 11:07:19`. A full written date
# (`2023年9月12日`) is not one: it closes an issuing notice.
_TIMESTAMP = re.compile(
    r"^[|\s]*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}月\d{1,2}日)(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?$"
)
_EMPTY_LABEL = re.compile(r"^(?:来源|作者|编辑|记者|发布时间|时间|字号|浏览次数|点击数)[::]?$")
# After one of these, the rest of the page is comments, related articles or the site footer.
_END_OF_ARTICLE = re.compile(
    r"^(?:THE\s*END|END|完|温馨提示[::]?|相关阅读|相关文章|相关推荐|推荐阅读|热门文章|猜你喜欢|上一篇.*|下一篇.*"
    r"|阅读\s*参与讨论.*|最新评论.*|网友评论.*|分享到.*)$",
    re.IGNORECASE,
)
_SOURCE = re.compile(r"^(?:来源|信息来源|文章来源|稿源)[::]\s*(.+?)$|^本文来自(.+?)。?$")


@dataclass(frozen=True)
class Dropped:
    """A line that is not document text, with the rule that said so."""

    line_no: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"line": self.line_no, "text": self.text, "reason": self.reason}


def source_attribution(line: str) -> str | None:
    """`来源:济南市人民政府` / `本文来自重庆市永川区人民政府。` -> the source's name."""
    m = _SOURCE.match(line)
    if not m:
        return None
    return (m.group(1) or m.group(2) or "").strip() or None


def noise_reason(line: str) -> str | None:
    """Why a single line is page furniture, or None when it may be document text."""
    if _UI_LINE.match(line):
        return "navigation or site widget"
    if _BREADCRUMB.match(line):
        return "breadcrumb"
    if _COMMENTS.search(line):
        return "comment box"
    if _PHONE.search(line) or _ADS.search(line):
        return "advertisement or phone number"
    if _SITE_FOOTER.search(line):
        return "site footer"
    if _TIMESTAMP.match(line):
        return "page time stamp"
    if _EMPTY_LABEL.match(line):
        return "empty page label"
    return None


def is_end_of_article(line: str) -> bool:
    return _END_OF_ARTICLE.match(line) is not None
