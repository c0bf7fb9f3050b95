"""Read the State Council's annual notice 「国务院办公厅关于YYYY年部分节假日安排的通知」.

Plain text in, the year's holidays and 调休 workdays out; no database. The notice is read
as published (full-width punctuation) or retyped with half-width punctuation:

    一、元旦：1月1日（周三）放假1天，不调休。
    三、清明节：4月4日（周五）至6日（周日）放假，共3天。
    五、端午节：5月31日（周六）至6月2日（周一）放假，共3天。
    六、国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。

Every weekday written in brackets is checked against the date, so a mistyped date is
refused instead of silently moving a deadline. Anything that does not read as such a
notice raises ``NoticeError`` with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

WEEKDAYS = "一二三四五六日"
MAX_HOLIDAY_DAYS = 12  # the longest run ever announced is 8-9 days; more is a typo


class NoticeError(ValueError):
    """The text is not a holiday notice, or one of its dates cannot be right."""


@dataclass
class Notice:
    year: int
    holidays: dict[dt.date, str] = field(default_factory=dict)
    workdays: dict[dt.date, str] = field(default_factory=dict)
    number: str = ""  # 国办发明电〔2024〕12号, if the text carries it

    @property
    def source(self) -> str:
        title = f"国务院办公厅关于{self.year}年部分节假日安排的通知"
        return f"{title}（{self.number}）" if self.number else title

    def lines(self) -> list[str]:
        """What the notice sets, one line a date, for the CLI and the preview page."""
        marks = [(d, "放假", n) for d, n in self.holidays.items()]
        marks += [(d, "上班", n) for d, n in self.workdays.items()]
        return [f"{d.isoformat()} 周{WEEKDAYS[d.weekday()]} {kind} {name}"
                for d, kind, name in sorted(marks)]


_TITLE = re.compile(r"关于\s*(\d{4})\s*年部分节假日安排的通知")
_INTRO = re.compile(r"现将\s*(\d{4})\s*年.{0,40}?放假")
_NUMBER = re.compile(r"国办发明电\s*[〔\[(]\s*(\d{4})\s*[〕\])]\s*(\d+)\s*号")
_ITEM = re.compile(r"(?:^|(?<=[\s。.;]))([一二三四五六七八九十]{1,3})[、,]\s*"
                   r"([\u4e00-\u9fff、,]{2,20}?)\s*:", re.M)
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*"
                   r"(?:\(([^()]*)\))?")
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")


def _normalise(text: str) -> str:
    # NFKC folds full-width digits, brackets, colons and commas to ASCII; 、 and 。 stay.
    text = unicodedata.normalize("NFKC", text)
    return text.replace("\u3000", " ").replace("\r", "")


def _year_of(text: str) -> int:
    m = _TITLE.search(text) or _INTRO.search(text)
    if not m:
        raise NoticeError("这不是国务院办公厅部分节假日安排的通知：未找到"
                          "“关于YYYY年部分节假日安排的通知”或“现将YYYY年……放假”字样。")
    return int(m.group(1))


def _dates(segment: str, year: int, what: str) -> list[dt.date]:
    """Every date in ``segment``; a date without a month takes the previous date's month."""
    found: list[dt.date] = []
    month = None
    for m in _DATE.finditer(segment):
        y = int(m.group(1)) if m.group(1) else year
        if m.group(2):
            month = int(m.group(2))
        if month is None:
            raise NoticeError(f"{what}中的“{m.group(0).strip()}”没有写明月份。")
        try:
            d = dt.date(y, month, int(m.group(3)))
        except ValueError:
            raise NoticeError(f"{what}中的日期“{m.group(0).strip()}”不存在。") from None
        if abs(d.year - year) > 1:
            raise NoticeError(f"{what}中的日期“{m.group(0).strip()}”不在{year}年前后。")
        wd = _WEEKDAY.search(m.group(4) or "")
        if wd:
            written = WEEKDAYS.index("日" if wd.group(1) == "天" else wd.group(1))
            if written != d.weekday():
                raise NoticeError(
                    f"{what}中的“{m.group(0).strip()}”与实际星期不符："
                    f"{d:%Y年%m月%d日}是周{WEEKDAYS[d.weekday()]}，请核对原文。")
        found.append(d)
    return found


def _sentences(body: str) -> list[str]:
    # Split at sentence ends, never inside brackets ("农历除夕、周二").
    parts, depth, cur = [], 0, []
    for ch in body:
        depth += ch == "("
        depth -= ch == ")" and depth > 0
        if depth == 0 and ch in "。.;":
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def parse(text: str) -> Notice:
    """The holidays and workdays of the notice in ``text``; raises NoticeError."""
    if not text or not text.strip():
        raise NoticeError("通知内容为空，请粘贴国务院办公厅部分节假日安排的通知全文。")
    text = _normalise(text)
    year = _year_of(text)
    notice = Notice(year=year)
    number = _NUMBER.search(text)
    if number:
        notice.number = f"国办发明电〔{number.group(1)}〕{number.group(2)}号"
    items = list(_ITEM.finditer(text))
    if not items:
        raise NoticeError(f"未在通知中找到“一、元旦：……”形式的放假安排条目（{year}年）。")
    for i, item in enumerate(items):
        name = item.group(2).replace(",", "、")
        end = items[i + 1].start() if i + 1 < len(items) else len(text)
        # An item ends at its paragraph: the closing remarks of the notice are not part of it.
        body = text[item.end():end].split("\n", 1)[0]
        what = f"“{item.group(1)}、{name}”"
        got_holiday = False
        for sentence in _sentences(body):
            rest = sentence
            if "放假" in sentence:
                head, rest = sentence.split("放假", 1)
                dates = _dates(head, year, what)
                if not dates or len(dates) > 2:
                    raise NoticeError(f"{what}的放假日期无法识别：“{sentence}”。")
                first, last = dates[0], dates[-1]
                if last < first or (last - first).days >= MAX_HOLIDAY_DAYS:
                    raise NoticeError(f"{what}的放假起止日期不合理：“{sentence}”。")
                d = first
                while d <= last:
                    if d in notice.holidays:
                        raise NoticeError(f"{d:%Y年%m月%d日}在通知中重复放假，请核对原文。")
                    notice.holidays[d] = name
                    d += dt.timedelta(days=1)
                got_holiday = True
            if "上班" in rest:
                dates = _dates(rest.rsplit("上班", 1)[0], year, what)
                if not dates:
                    raise NoticeError(f"{what}的调休上班日期无法识别：“{sentence}”。")
                for d in dates:
                    notice.workdays[d] = f"{name}调休上班"
        if not got_holiday:
            raise NoticeError(f"{what}中没有找到放假日期（应为“X月X日放假”或“X月X日至X日放假”）。")
    both = sorted(set(notice.holidays) & set(notice.workdays))
    if both:
        raise NoticeError(f"{both[0]:%Y年%m月%d日}在通知中既放假又上班，请核对原文。")
    if not any(d.year == year for d in notice.holidays):
        raise NoticeError(f"通知中没有{year}年的放假日期。")
    return notice
