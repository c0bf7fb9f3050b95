"""26+1+n 标准目录: import with row errors, +1/n editing, the time-limit check."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.core.models import Role
from gongkai.supervision import catalog, checks, services
from gongkai.supervision.crawl import CrawlResult, Page
from gongkai.supervision.models import CatalogEntry

HEADER = ("领域,一级事项,二级事项,公开内容,公开依据,公开时限,公开主体,公开渠道和载体,公开对象,"
          "公开方式,公开层级,栏目地址")
CSV = "\n".join([
    HEADER,
    "财政预决算,部门预算,预算公开,部门预算及说明,预算法,批复后20日内,区财政局,政府网站,全社会,主动,区级,"
    "/xxgk/hyq-czj/czxx/",
    "社会救助,最低生活保障,,低保对象名单,社会救助暂行办法,每季度,各街道,公示栏,特定群体,主动,街道,",
    ",缺领域,,内容,,每月,,,,,,",
    "就业,招聘信息,,岗位,,随便什么时候,,,全社会,主动,区级,",
    "就业,政策,,内容,,每月,,,所有人,主动,区级,",
    "就业,政策,,内容,,每月,,,全社会,主动,区级,javascript:alert(1)",
])


def test_period_days():
    assert catalog.period_days("信息形成或变更之日起20个工作日内") == 28
    assert catalog.period_days("批复后20日内") == 20
    assert catalog.period_days("每季度") == 92
    assert catalog.period_days("实时更新") == 28
    assert catalog.period_days("随便") is None


def test_rows_with_errors_are_reported_by_line_and_the_rest_loads():
    parsed = catalog.read(CSV.encode("gb18030"), "目录.csv")
    assert [r.line for r in parsed.rows] == [2, 3, 7]
    assert parsed.rows[0].values["audience"] == "public" and parsed.rows[1].values["tier"] == (
        "subdistrict")
    assert [e.split("：")[0] for e in parsed.errors] == ["第4行", "第5行", "第6行"]
    assert "缺少领域" in parsed.errors[0] and "无法识别" in parsed.errors[1]
    assert "所有人" in parsed.errors[2]
    assert catalog.read(b"a,b\n1,2", "x.csv").errors[0].startswith("表头缺少")
    assert catalog.read(b"not xlsx", "x.xlsx").errors == ["无法读取该 XLSX 文件。"]


@pytest.mark.django_db
def test_import_levels_and_permissions(make_staff, client_for, org):
    gkb = make_staff("hyq-zfb", Role.COORDINATOR)
    editor = make_staff("hyq-czj", Role.EDITOR)
    n, errors = services.import_catalog(actor=gkb, data=CSV.encode(), filename="a.csv",
                                        level="26")
    assert n == 2 and len(errors) == 4  # the javascript: address is refused by the service
    with pytest.raises(PermissionDenied):
        services.import_catalog(actor=editor, data=CSV.encode(), filename="a.csv", level="26")
    n, _ = services.import_catalog(actor=editor, data=CSV.encode(), filename="a.csv",
                                   level="n", org=org("hyq-czj"))
    assert CatalogEntry.objects.filter(level="n", org=org("hyq-czj")).count() == n == 2
    with pytest.raises(ValidationError):
        services.import_catalog(actor=gkb, data=b"", filename="a.csv", level="26")
    c = client_for(editor)
    r = c.post(reverse("supervision:catalog"), {
        "action": "add", "new-level": "1", "new-domain": "x", "new-item1": "y",
        "new-content": "z", "new-time_limit": "每月"})
    assert r.status_code == 403  # +1 is the 公开办's
    r = c.post(reverse("supervision:catalog"), {
        "action": "add", "new-level": "n", "new-domain": "营商环境", "new-item1": "涉企收费",
        "new-content": "收费目录", "new-time_limit": "每月",
        "new-node_urls": "/xxgk/hyq-czj/tzgg/"})
    assert r.status_code == 302
    mine = CatalogEntry.objects.get(item1="涉企收费")
    other = client_for(make_staff("hyq-fgj"))
    assert other.get(reverse("supervision:catalog_entry", args=[mine.pk])).status_code == 403
    assert "涉企收费" not in other.get(reverse("supervision:catalog")).content.decode()
    r = client_for(gkb).post(reverse("supervision:catalog"), {
        "action": "import", "imp-level": "26",
        "imp-file": SimpleUploadedFile("a.csv", CSV.encode())})
    assert r.status_code == 400 and "第4行" in r.content.decode()


def test_catalog_columns_are_checked_against_their_time_limit():
    r = CrawlResult("http://x/")
    r.pages = {
        "http://x/xxgk/hyq-czj/czxx/": Page("http://x/xxgk/hyq-czj/czxx/", 200, 0.1, "财政信息",
                                             "2026-01-02", dates=[dt.date(2026, 1, 2)]),
        "http://x/xxgk/hyq-czj/tzgg/": Page("http://x/xxgk/hyq-czj/tzgg/", 200, 0.1, "通知公告",
                                             "", dates=[], is_container=True),
    }
    entries = [(1, "部门预算", "/xxgk/hyq-czj/czxx/", 20, None),
               (2, "涉企收费", "/xxgk/hyq-czj/tzgg/", 31, "hyq-czj"),
               (3, "未抓取", "/xxgk/hyq-czj/none/", 31, None)]
    issues = checks.check(r, today=dt.date(2026, 3, 1), catalog=entries, org_codes={"hyq-czj"})
    kinds = {(i.kind, i.org_code) for i in issues if i.kind.startswith("catalog")}
    assert kinds == {("catalog_overdue", "hyq-czj"), ("catalog_empty", "hyq-czj")}
    assert not checks.check(r, today=dt.date(2026, 1, 10), catalog=entries[:1])
