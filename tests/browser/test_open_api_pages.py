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
