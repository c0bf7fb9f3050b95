"""The tables laid out as on the official form: rows of cells with merged header cells.

One layout, four renderers (HTML template, DOCX, XLSX, PDF), so every format shows the same
labels in the same places. Plain Python, no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.reports import tables as T

TITLES = {
    "1": "一、总体情况",
    "2": "二、主动公开政府信息情况",
    "3": "三、收到和处理政府信息公开申请情况",
    "4": "四、政府信息公开行政复议、行政诉讼情况",
    "5": "五、存在的主要问题及改进情况",
    "6": "六、其他需要报告的事项",
}


@dataclass
class Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    # HTML scope of a header cell: col, colgroup, row, rowgroup.
    scope: str = ""
    numeric: bool = False


@dataclass
class Grid:
    key: str
    caption: str
    rows: list[list[Cell]]
    header_rows: int
    # Relative widths of the grid's columns (PDF and DOCX).
    widths: list[float] = field(default_factory=list)

    @property
    def show_caption(self) -> bool:
        """False when the first header row already says the caption (第二十条第（一）项)."""
        return not (self.rows and self.rows[0] and self.rows[0][0].text == self.caption)

    @property
    def head(self) -> list[list[Cell]]:
        return self.rows[:self.header_rows]

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows:]

    @property
    def ncols(self) -> int:
        return sum(c.colspan for c in self.rows[0])

    def placed(self) -> list[tuple[int, int, Cell]]:
        """Every cell with its absolute (row, column), honouring row and column spans."""
        taken: set[tuple[int, int]] = set()
        out = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in taken:
                    c += 1
                out.append((r, c, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, c + dc))
                c += cell.colspan
        return out


def _h(text: str, scope: str = "col", **kw) -> Cell:
    return Cell(text, header=True, scope=scope, **kw)


def _n(value) -> Cell:
    return Cell(str(value), numeric=True)


def section2_grids(s2: T.Section2) -> list[Grid]:
    g1 = Grid("2-1", "第二十条第（一）项", [
        [_h("第二十条第（一）项", "colgroup", colspan=4)],
        [_h("信息内容")] + [_h(label) for _, label in T.DOC_MEASURES],
    ] + [
        [_h(label, "row")] + [_n(s2.docs[key][m]) for m, _ in T.DOC_MEASURES]
        for key, label in T.DOC_TYPES
    ], header_rows=2, widths=[2.2, 1, 1, 1])
    g2 = Grid("2-5", "第二十条第（五）项", [
        [_h("第二十条第（五）项", "colgroup", colspan=2)],
        [_h("信息内容"), _h("本年处理决定数量")],
        [_h("行政许可", "row"), _n(s2.licensing)],
    ], header_rows=2, widths=[2.2, 2])
    g3 = Grid("2-6", "第二十条第（六）项", [
        [_h("第二十条第（六）项", "colgroup", colspan=2)],
        [_h("信息内容"), _h("本年处理决定数量")],
        [_h("行政处罚", "row"), _n(s2.punishment)],
        [_h("行政强制", "row"), _n(s2.enforcement)],
    ], header_rows=2, widths=[2.2, 2])
    g4 = Grid("2-8", "第二十条第（八）项", [
        [_h("第二十条第（八）项", "colgroup", colspan=2)],
        [_h("信息内容"), _h(T.FEES_UNIT)],
        [_h(T.FEES_LABEL, "row"), _n(T.fees_text(s2.fees))],
    ], header_rows=2, widths=[2.2, 2])
    return [g1, g2, g3, g4]


def section3_grid(s3: dict[str, dict[str, int]]) -> Grid:
    orgs = [label for key, label in T.APPLICANT_COLUMNS if key != "natural_person"]
    rows: list[list[Cell]] = [
        [Cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
              rowspan=3, colspan=3, header=True),
         _h("申请人情况", "colgroup", colspan=7)],
        [_h("自然人", rowspan=2), _h("法人或其他组织", "colgroup", colspan=5),
         _h("总计", rowspan=2)],
        [_h(label) for label in orgs],
    ]

    def nums(key: str) -> list[Cell]:
        return [_n(s3[key][c]) for c in T.COLUMN_KEYS]

    for key in T.ROW_KEYS:
        label = T.ROW_LABELS[key]
        lead: list[Cell] = []
        if key in (T.ROW_NEW, T.ROW_CARRIED_IN, T.ROW_CARRIED_OUT):
            lead = [_h(label, "row", colspan=3)]
        else:
            if key == "3.1":
                lead.append(_h(T.SECTION3_HEADING, "rowgroup", rowspan=22))
            group = key[:3]
            if key in ("3.1", "3.2", T.ROW_RESULT_TOTAL):
                lead.append(_h(label, "row", colspan=2))
            else:
                if key.endswith(".1"):
                    size = sum(1 for k in T.ROW_KEYS if k.startswith(group + "."))
                    lead.append(_h(T.GROUP_LABELS[group], "rowgroup", rowspan=size))
                lead.append(_h(label, "row"))
        rows.append(lead + nums(key))
    return Grid("3", "收到和处理政府信息公开申请情况", rows, header_rows=3,
                # The label column takes the longest label (（六）2., 37 characters) in at
                # most 3 lines at 9 pt on A4 portrait.
                widths=[0.8, 1.3, 4.6] + [0.95] * 7)


def section4_grid(s4: dict[str, dict[str, int]]) -> Grid:
    outcomes = [label for _, label in T.OUTCOMES]
    rows = [
        [_h("行政复议", "colgroup", colspan=5), _h("行政诉讼", "colgroup", colspan=10)],
        [_h(label, rowspan=2) for label in outcomes]
        + [_h("未经复议直接起诉", "colgroup", colspan=5), _h("复议后起诉", "colgroup", colspan=5)],
        [_h(label) for label in outcomes] * 2,
        [_n(s4[kind][o]) for kind, _ in T.APPEAL_KINDS for o in T.OUTCOME_KEYS],
    ]
    return Grid("4", "政府信息公开行政复议、行政诉讼情况", rows, header_rows=3,
                widths=[1] * 15)


def all_grids(data: T.ReportData) -> list[Grid]:
    return section2_grids(data.section2) + [section3_grid(data.section3),
                                            section4_grid(data.section4)]
