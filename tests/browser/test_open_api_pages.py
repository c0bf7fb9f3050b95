"""The API docs (Swagger UI from our own static files, under our CSP) and the open-data
pages really render in a browser, with no blocked script and no console error."""

import io

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_api_docs_render_operations_under_csp(page):
    page.goto("/api/docs/")
    expect(page.get_by_text("/api/v1/documents/", exact=True).first).to_be_visible()
    expect(page.get_by_text("政务公开开放接口").first).to_be_visible()
    page.screenshot(path="artifacts/screenshots/api-docs.png", full_page=False)


def test_dataset_page_shows_masked_rows_and_chart(page):
    from gongkai.api import demo

    demo.load(stdout=io.StringIO())
    page.goto("/kaifang/sj/")
    page.get_by_role("link", name="惠民惠农财政补贴发放情况（演示数据）").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("惠民惠农")
    expect(page.locator("svg.stat-chart")).to_be_visible()
    expect(page.get_by_text("李**")).to_be_visible()
    page.screenshot(path="artifacts/screenshots/dataset.png", full_page=True)


def test_open_data_statistics_and_answer_pages_are_accessible(page):
    from gongkai.api import demo

    from .helpers import assert_accessible, assert_fields_labelled, assert_site_shell

    demo.load(stdout=io.StringIO())
    failures = []
    for path in ("/kaifang/sj/", "/kaifang/sj/zfzw-2026/", "/kaifang/ysqgk-tongji/",
                 "/kaifang/ysqgk-dafu/", "/xxgk/wj/"):
        response = page.goto(path)
        if not response.ok:
            failures.append(f"{path}: HTTP {response.status}")
            continue
        for check in (assert_site_shell, assert_fields_labelled, assert_accessible):
            try:
                check(page)
            except AssertionError as exc:
                failures.append(f"{path}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_staff_define_dataset_fields_on_the_workbench(page):
    """A 财政局 editor adds a masked 姓名 field to a released dataset: the page checks it,
    saves it as a new 字段版本, and the released version keeps its own fields."""
    from gongkai.api import demo
    from gongkai.api.models import Dataset

    from .helpers import assert_accessible, assert_fields_labelled, login

    demo.load(stdout=io.StringIO())
    ds = Dataset.objects.get(code="bmys-2026")
    released = ds.latest()
    login(page, "czj_xxy")
    page.goto("/kaifang/staff/sj/")
    page.get_by_role("row", name=ds.title).get_by_role("link", name="字段设置").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("字段设置")
    assert_fields_labelled(page)
    assert_accessible(page)
    n = len(ds.fields) + 1
    page.get_by_label(f"第{n}行 字段名称（Excel 表头）").fill("经办人")
    page.get_by_label(f"第{n}行 字段代码").fill("Clerk")
    page.get_by_label(f"第{n}行 发布前遮盖").select_option("name")
    page.get_by_role("button", name="保存字段设置").click()
    expect(page.get_by_role("alert")).to_contain_text("字段代码应以小写字母开头")
    page.get_by_label(f"第{n}行 字段代码").fill("clerk")
    page.get_by_role("button", name="保存字段设置").click()
    expect(page.get_by_text("已保存字段设置，字段第2版。")).to_be_visible()
    ds.refresh_from_db()
    released.refresh_from_db()
    assert ds.schema_version == 2 and ds.fields[-1] == {
        "name": "clerk", "label": "经办人", "type": "text", "required": False, "mask": "name"}
    assert "clerk" not in [f["name"] for f in released.schema]
    page.screenshot(path="artifacts/screenshots/dataset-fields.png", full_page=True)
