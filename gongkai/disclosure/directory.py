"""The standard 公开目录 of a unit (seed plan 一, RULES.md §5), as data."""

from __future__ import annotations

DOMAINS_26 = [
    "重大建设项目", "公共资源交易", "财政预决算", "安全生产", "税收管理", "征地补偿",
    "国有土地上房屋征收与补偿", "城乡规划", "生态环境", "公共文化服务", "义务教育",
    "卫生健康", "食品药品监管", "扶贫", "社会救助", "养老服务", "户籍管理", "涉农补贴",
    "农村危房改造", "就业", "社会保险", "城市综合执法", "市政服务", "保障性住房", "救灾",
    "公共法律服务",
]

# (code, name, kind, time limit in working days, children)
STANDARD_TREE: list[tuple[str, str, str, int, list]] = [
    ("gkzn", "政府信息公开指南", "guide", 20, []),
    ("gkzd", "政府信息公开制度", "system", 20, []),
    ("fdzdgk", "法定主动公开内容", "documents", 20, [
        ("jgzn", "机构职能", "documents", 20, []),
        ("zcwj", "政策文件", "documents", 20, [
            ("gfxwj", "行政规范性文件", "documents", 20, []),
            ("qtzcwj", "其他政策文件", "documents", 20, []),
        ]),
        ("zcjd", "政策解读", "interpretation", 20, []),
        ("ghxx", "规划信息", "documents", 20, []),
        ("czxx", "财政信息", "documents", 20, []),
        ("rsxx", "人事信息", "documents", 20, []),
        ("tjxx", "统计信息", "documents", 20, []),
        ("xzzf", "行政执法", "documents", 7, []),
        ("zdly", "重点领域信息公开", "documents", 20, [
            (f"zdly-{i:02d}", name, "domain", 20, [])
            for i, name in enumerate(DOMAINS_26, 1)
        ]),
        ("tzgg", "通知公告", "documents", 5, []),
    ]),
    ("gknb", "政府信息公开年报", "annual_report", 20, []),
    ("ysqgk", "依申请公开", "foi", 20, []),
]


def flatten(tree=None, parent: str | None = None):
    """Yield (code, name, kind, limit, parent_code, order) top-down."""
    items = STANDARD_TREE if tree is None else tree
    for order, (code, name, kind, limit, children) in enumerate(items, 1):
        yield code, name, kind, limit, parent, order
        yield from flatten(children, code)
