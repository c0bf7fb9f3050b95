"""Regenerate gongkai/disclosure/data/demo/policies.jsonl.gz from the full laws corpus.

    .venv/bin/python bench/curate_demo_policies.py /path/to/laws.jsonl.gz

Not run by the product or the tests (they read only the shipped file). The rule, also in
gongkai/disclosure/data/demo/README.md: a text qualifies when the last dated line of its
header (施行 lines aside) is a promulgation by order, ``YYYY年M月D日 [中华人民共和国]<机关>令
第N号 公布|发布|修订`` — so the text shipped is the text that order promulgated, not a later
amendment of it — and the text's own date is that day or the day after. The 文号 is
``<机关>令第N号`` exactly as printed (without 中华人民共和国), the 成文 and 发布 date the day
on that line, the 发文机关 the body named before 令. Nothing is guessed: a header that does
not say all of this is left out.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gongkai/disclosure/data/demo/policies.jsonl.gz"
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")
_DATE = r"(\d{4})年(\d{1,2})月(\d{1,2})日"
_ORDER = re.compile(
    rf"^{_DATE}\s*(?:中华人民共和国)?(?P<issuer>[\u4e00-\u9fa5、]{{2,30}}?)令\s*第\s*"
    r"(?P<serial>\d{1,4})\s*号\s*(?:修订)?(?:公布|发布|通过)?$")


def _day(m) -> dt.date:
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


def order_of(record: dict) -> dict | None:
    """(issuer, 文号, date) of the order that promulgated this very text, or None."""
    header = (record.get("header") or "").translate(_FULLWIDTH).replace("\u3000", " ")
    lines = [ln.strip(" ，,。；;）)") for ln in header.split("\n")]
    events = [ln for ln in lines if re.match(_DATE, ln) and not ln.endswith("施行")]
    if not events:
        return None
    m = _ORDER.match(events[-1])
    if not m or not record.get("date"):
        return None
    day = _day(m)
    # The record's date is the promulgation (or, in a few, the day before: the day the
    # State Council passed it); a later date means the body is an amended text.
    if not dt.timedelta(0) <= day - dt.date.fromisoformat(record["date"]) <= dt.timedelta(1):
        return None
    issuer = m["issuer"].replace("中华人民共和国", "")
    return {"issuer": issuer, "doc_number": f"{issuer}令第{int(m['serial'])}号",
            "date": day.isoformat()}


def main(source: str) -> None:
    picked: dict[str, dict] = {}
    with gzip.open(source, "rt", encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            order = order_of(rec)
            if order is None or order["doc_number"] in picked:
                continue
            picked[order["doc_number"]] = {
                "id": rec["id"], "source_path": rec.get("source_path") or "",
                "title": rec["title"], **order,
                "header": re.sub(r"^#\s*.*\n*", "", rec.get("header") or "").strip(),
                "body": rec["body"],
            }
    # Newest first, the 政府信息公开条例 before all (`gongkai demo --quick` loads the first few).
    rows = sorted(picked.values(), key=lambda r: (r["date"], r["doc_number"]), reverse=True)
    rows.sort(key=lambda r: r["title"] != "中华人民共和国政府信息公开条例")
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} documents -> {OUT} ({OUT.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
