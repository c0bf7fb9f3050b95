"""axe-core and labelled fields on the pages citizens and staff use most.

The journeys run axe on the pages they pass through (search results, document and
interpretation pages, the application form with and without errors, the tracking page);
here are the home page, the lists, the guides and the staff sign-in, visited in one test
(one data set-up) that reports every page's problems together.
"""

import pytest

from .helpers import (
    assert_accessible,
    assert_fields_labelled,
    assert_site_shell,
    publish_policy_with_interpretation,
)

pytestmark = pytest.mark.browser

PAGES = {
    "首页": "/",
    "政府信息公开": "/xxgk/",
    "政策文件库（列表）": "/xxgk/zcwj/",
    "文件列表": "/xxgk/wj/",
    "政策解读列表": "/xxgk/zcjd/",
    "单位公开主页": "/xxgk/hyq-zfb/",
    "依申请公开指南": "/ysqgk/",
    "工作人员登录": "/staff/login/",
}


def test_pages_have_no_serious_accessibility_violations(page):
    publish_policy_with_interpretation()
    failures = []
    for name, path in PAGES.items():
        response = page.goto(path)
        if not response.ok:
            failures.append(f"{name} {path}: HTTP {response.status}")
            continue
        for check in (assert_site_shell, assert_fields_labelled, assert_accessible):
            try:
                check(page)
            except AssertionError as exc:
                failures.append(f"{name} {path}: {str(exc).splitlines()[0]}\n{exc}")
    assert not failures, "\n\n".join(failures)
