"""The 19号 indicators (政府网站与政务新媒体检查指标) over a crawl: a pure function.

Input: a ``CrawlResult``, today's date, the coordinator's dictionaries and a config;
output: issues, each with a stable ``key`` so the next crawl can tell whether the same
problem is still there (再核查). Defaults follow the indicators; a district may tighten
them in ``settings.GONGKAI_SUPERVISION_INSPECTION`` (same keys as ``DEFAULTS``).
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from dataclasses import dataclass

from gongkai.disclosure import privacy
from gongkai.supervision.crawl import CrawlResult

DEFAULTS = {
    "home_days": 14,  # 首页栏目 2 周未更新: 单项否决
    "dynamic_days": 14,  # 动态、要闻类栏目 2 周未更新: 单项否决
    "other_days": 183,  # 其他栏目 6 个月未更新: 扣分
    "dynamic_words": ("动态", "要闻", "新闻", "通知公告", "工作信息"),
    "blank_veto_count": 5,  # 空白栏目超过 5 个: 单项否决
    "slow_seconds": 15.0,
    # Where a column lives: /xxgk/<unit code>/<column code>/ on this portal.
    "column_pattern": r"^/xxgk/(?P<org>[-\w]+)/(?P<node>[-\w]+)/$",
    "unit_pattern": r"^/xxgk/(?P<org>[-\w]+)/",
    "deductions": {  # points off the 100 for each issue of the kind
        "broken_link": 1, "stale_column": 1, "blank_column": 2, "typo": 1, "slow": 1,
        "ipv6": 5, "unreachable": 5, "catalog_overdue": 1, "catalog_empty": 1,
        "broken_attachment": 1,
    },
}
LABELS = {
    "stale_home": "首页超过两周未更新",
    "stale_dynamic": "动态类栏目超过两周未更新",
    "stale_column": "栏目超过六个月未更新",
    "blank_column": "空白栏目",
    "blank_columns_veto": "空白栏目超过五个",
    "broken_link": "链接不可用",
    "unreachable": "页面无法访问",
    "personal_data": "页面含个人隐私信息",
    "personal_data_attachment": "附件含个人隐私信息",
    "broken_attachment": "附件无法打开",
    "unanswered_messages": "留言超过三个月未回复",
    "typo": "错别字",
    "sensitive": "敏感词",
    "wording": "严重表述错误",
    "slow": "页面打开超过15秒",
    "ipv6": "不支持 IPv6 访问",
    "catalog_overdue": "标准目录事项超过公开时限未更新",
    "catalog_empty": "标准目录事项栏目无内容",
}
VETO = {"stale_home", "stale_dynamic", "blank_columns_veto", "personal_data",
        "personal_data_attachment", "sensitive", "wording", "unreachable",
        "unanswered_messages"}


@dataclass(frozen=True)
class Issue:
    key: str
    kind: str
    url: str
    detail: str
    org_code: str | None
    veto: bool
    deduction: float

    @property
    def label(self) -> str:
        return LABELS[self.kind]


def config(overrides: dict | None = None) -> dict:
    out = dict(DEFAULTS)
    out.update(overrides or {})
    return out


def org_code_of(url: str, cfg: dict, known: set[str] | None = None) -> str | None:
    m = re.match(cfg["unit_pattern"], urllib.parse.urlsplit(url).path)
    code = m.group("org") if m else None
    return code if known is None or code in known else None


def page_org(page, cfg: dict, known: set[str] | None) -> str | None:
    """The unit a page belongs to: from its address, else from the one unit it links to
    as its home (a document page's breadcrumb)."""
    code = org_code_of(page.url, cfg, known)
    if code or known is None:
        return code
    homes = set()
    for link in page.links:
        path = urllib.parse.urlsplit(link).path
        m = re.match(cfg["unit_pattern"] + "$", path)
        if m and m.group("org") in known:
            homes.add(m.group("org"))
    return homes.pop() if len(homes) == 1 else None


def _is_column(url: str, cfg: dict) -> bool:
    return re.match(cfg["column_pattern"], urllib.parse.urlsplit(url).path) is not None


def check(result: CrawlResult, *, today: dt.date, words: list[tuple[str, str, str]] = (),
          ipv6: tuple[bool, str] | None = None, cfg: dict | None = None,
          home_url: str | None = None, org_codes: set[str] | None = None,
          catalog: list[tuple[int, str, str, int, str | None]] = (),
          unanswered: dict[str, int] | None = None) -> list[Issue]:
    """Every issue in ``result``. ``words`` are (kind, wrong, right) dictionary entries;
    ``org_codes`` the units' codes (to tell a unit's address from other paths);
    ``catalog``: (entry id, label, column path, period in days, unit code or None) — a column
    of a 标准目录 entry with nothing newer than the entry's 公开时限 is an issue;
    ``unanswered``: messages unanswered for three months by unit code ("" for those no unit
    holds), or None when the platform has no message app (then nothing is said about it)."""
    cfg = config(cfg)
    ded = cfg["deductions"]
    issues: list[Issue] = []
    home = home_url or result.base_url

    owners = {url: page_org(page, cfg, org_codes) for url, page in result.pages.items()}

    def add(kind, url, detail, key_extra="", org_code=None):
        org = org_code if org_code is not None else (
            owners.get(url) if url in owners else org_code_of(url, cfg, org_codes))
        issues.append(Issue(f"{kind}|{url}|{key_extra}"[:300], kind, url, detail, org,
                            kind in VETO, 0.0 if kind in VETO else float(ded.get(kind, 0))))

    blank = []
    for url, page in result.pages.items():
        if page.status is None or page.status >= 400:
            if url == home:
                add("unreachable", url, f"首页无法访问：{page.status or page.error}")
            continue
        if page.elapsed > cfg["slow_seconds"]:
            add("slow", url, f"打开用时 {page.elapsed:.1f} 秒")
        latest = max(page.dates) if page.dates else None
        if url == home:
            if latest is None or (today - latest).days > cfg["home_days"]:
                add("stale_home", url, f"最近更新：{latest or '无日期'}")
        elif _is_column(url, cfg):
            if latest is None:
                if not page.is_container:
                    blank.append(url)
                    add("blank_column", url, f"栏目「{page.title}」没有任何信息")
            else:
                dynamic = any(w in page.title for w in cfg["dynamic_words"])
                limit = cfg["dynamic_days"] if dynamic else cfg["other_days"]
                if (today - latest).days > limit:
                    add("stale_dynamic" if dynamic else "stale_column", url,
                        f"栏目「{page.title}」最近更新 {latest}，已 {(today - latest).days} 天")
        hits = privacy.scan(page.text)
        if hits:
            add("personal_data", url, "；".join(f"{h.label}{h.masked}" for h in hits[:5]))
        for kind, wrong, right in words:
            if wrong and wrong in page.text:
                add(kind, url, f"「{wrong}」" + (f"应为「{right}」" if right else ""),
                    key_extra=wrong)
    for link, att in result.attachments.items():
        name = result.attachment_name(link)
        for source in result.sources.get(link, []) or [link]:
            if att.error:
                add("broken_attachment", source, f"附件「{name}」（{link}）：{att.error}",
                    key_extra=link)
                continue
            hits = privacy.scan(att.text)
            if hits:
                add("personal_data_attachment", source,
                    f"附件「{name}」（{link}）含{privacy.summarize(hits)}："
                    + "；".join(f"{h.label}{h.masked}" for h in hits[:5]), key_extra=link)
    if len(blank) > cfg["blank_veto_count"]:
        add("blank_columns_veto", home, f"空白栏目 {len(blank)} 个", org_code="")
    for link, (status, error) in result.links.items():
        if status is not None and status < 400:
            continue
        for source in result.sources.get(link, []):
            add("broken_link", source, f"{link}（{status or error}）", key_extra=link)
    by_path = {urllib.parse.urlsplit(u).path: p for u, p in result.pages.items()}
    for entry_id, label, path, days, org_code in catalog:
        page = by_path.get(urllib.parse.urlsplit(path).path)
        if page is None or page.status != 200:
            continue  # not reached this time: nothing to say
        latest = max(page.dates) if page.dates else None
        if latest is None:
            add("catalog_empty", page.url, f"「{label}」栏目没有任何信息", key_extra=str(entry_id),
                org_code=org_code)
        elif (today - latest).days > days:
            add("catalog_overdue", page.url, f"「{label}」公开时限 {days} 天，最近更新 {latest}",
                key_extra=str(entry_id), org_code=org_code)
    for code, count in sorted((unanswered or {}).items()):
        if count:
            add("unanswered_messages", home, f"超过三个月未回复的留言 {count} 件"
                + ("" if code else "（未分办到单位）"), key_extra=code, org_code=code)
    if ipv6 is not None and not ipv6[0]:
        add("ipv6", home, ipv6[1], org_code="")
    return issues


def score(issues: list[Issue]) -> tuple[bool, float]:
    """(any 单项否决, the 100-point score after deductions, floored at 0)."""
    return any(i.veto for i in issues), max(0.0, 100.0 - sum(i.deduction for i in issues))
