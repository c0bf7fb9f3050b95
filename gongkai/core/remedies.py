"""Who reviews a unit's decisions (行政复议机关) and which court hears a suit against it.

Plain module, no ORM. Defaults follow 《中华人民共和国行政复议法》(2023) Art. 24 and
《中华人民共和国行政诉讼法》 Art. 14, 15(一), 18:
- a department (工作部门) of the district government, its office, a 街道办事处 (派出机关)
  → the district government (Art. 24(一)(三)); suit at the basic court of the place;
- the district government itself → the government one level up (Art. 24(二));
  suit at the intermediate court (行政诉讼法 Art. 15(一));
- a branch of a city bureau (派出机构, Art. 24 第四款) or a vertically managed unit
  (Art. 27: 向上一级主管部门) has no default: its bodies must be set on the unit.
The names of the upper government and the courts are settings, so a deployment where
a higher court has assigned cross-district jurisdiction (行政诉讼法 Art. 18 第二款) can say so.
"""

from __future__ import annotations

LOCAL = "local"
BRANCH = "branch"
VERTICAL = "vertical"
ADMINISTRATION_CHOICES = [
    (LOCAL, "本级人民政府管理"),
    (BRANCH, "上级人民政府工作部门的派出机构"),
    (VERTICAL, "垂直管理单位"),
]

DEFAULT_SETTINGS = {
    "upper_government": "济南市人民政府",
    "local_court": "济南市槐荫区人民法院",
    "intermediate_court": "济南市中级人民法院",
}

# Kinds whose defaults the law fixes (OrgKind values; kept as strings to stay ORM-free).
_UNDER_DISTRICT = {"office", "department", "subdistrict"}


def default_bodies(*, kind: str, administration: str, is_root: bool, district: str,
                   names: dict[str, str] | None = None) -> tuple[str, str]:
    """(复议机关, 人民法院) by law, or ("", "") when the unit must set them itself."""
    n = {**DEFAULT_SETTINGS, **(names or {})}
    if administration != LOCAL:
        return "", ""
    if kind == "government" and is_root:
        return n["upper_government"], n["intermediate_court"]
    if kind in _UNDER_DISTRICT and district:
        return district, n["local_court"]
    return "", ""


def bodies(*, review_body: str, court: str, kind: str, administration: str, is_root: bool,
           district: str, names: dict[str, str] | None = None) -> tuple[str, str]:
    """The unit's own entries, each falling back to the legal default."""
    d_review, d_court = default_bodies(kind=kind, administration=administration,
                                       is_root=is_root, district=district, names=names)
    return (review_body.strip() or d_review, court.strip() or d_court)
