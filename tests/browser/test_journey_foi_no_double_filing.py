"""Journey: a citizen double-clicks 提交申请, or loses the answer and reloads — one application
is filed, the receipt (number + 查询码) survives a reload and downloads as a PDF 回执."""

import re
import subprocess
import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import assert_accessible, shot

pytestmark = pytest.mark.browser

ID_NUMBER = "11010519491231002X"  # checksum-valid test number


def _fill(page, subject: str) -> None:
    page.goto(reverse("foi:apply"))
    page.get_by_label("自然人").check()
    page.get_by_label("姓名", exact=True).fill("王小明")
    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_label("联系电话").fill("13905310000")
    page.get_by_label("电子邮箱").fill("wangxm@example.com")
    page.get_by_label("所需信息的名称").fill(subject)
    page.get_by_role("group", name=re.compile("信息的指定提供形式")).get_by_label(
        "电子邮件").check()
    page.get_by_role("group", name=re.compile("获取信息的方式")).get_by_label("电子邮件").check()
    page.get_by_label("我确认所填信息真实").check()


def _posts(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda r: r.method == "POST" and r.url.endswith(reverse("foi:apply"))
            and seen.append(r.url))
    return seen


def _receipt(page) -> tuple[str, str]:
    expect(page.get_by_role("heading", level=1)).to_have_text("申请已提交")
    return (page.locator("#foi-number").inner_text().strip(),
            page.locator("#foi-code").inner_text().strip())


def test_double_click_files_once_and_the_receipt_survives_reload_and_downloads(
        page, tmp_path, monkeypatch):
    from gongkai.foi import crypto, services
    from gongkai.foi.models import Application

    # A busy server: filing takes a second, so the second click comes while the first
    # POST is still being filed (the live server handles both at once, in two threads).
    slow = services.submit_online

    def busy(**kwargs):
        time.sleep(1)
        return slow(**kwargs)

    monkeypatch.setattr(services, "submit_online", busy)
    _fill(page, "2026年槐荫区老旧小区改造项目清单")
    posts = _posts(page)
    button = page.get_by_role("button", name="提交申请")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.click(x, y)
    page.wait_for_timeout(300)  # an impatient second click while the page still waits
    page.mouse.click(x, y)
    number, code = _receipt(page)
    assert len(posts) == 2, posts  # the browser really sent the form twice
    app = Application.objects.get()
    assert app.number == number and app.tracking_code_hash == crypto.tracking_hash(code)
    assert_accessible(page)
    shot(page, "foi-receipt-after-double-click")

    # A reload shows the same receipt (nothing is POSTed again: the receipt came by 303).
    page.reload()
    assert _receipt(page) == (number, code) and len(posts) == 2

    # The PDF 回执, read with poppler as an applicant's PDF reader would.
    with page.expect_download() as got:
        page.get_by_role("button", name="下载回执（PDF）").click()
    pdf = tmp_path / "receipt.pdf"
    got.value.save_as(pdf)
    text = "".join(subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                  text=True, check=True).stdout.split())
    for expected in (number, code, "政府信息公开申请回执", "待公开办确认", "第三十一条",
                     "20个工作日", "查询办理进度"):
        assert expected in text, expected
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert re.search(r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", pages), pages
    assert Application.objects.count() == 1


def test_lost_answer_then_reload_files_once_and_shows_the_receipt(page):
    """The server files the form but the answer never arrives (the connection is reset);
    the citizen reloads, the browser sends the form again, and gets the same receipt."""
    from gongkai.foi.models import Application

    _fill(page, "2026年槐荫区财政预算执行情况")
    posts = _posts(page)
    state = {"dropped": 0}

    def lose_first_answer(route):
        if route.request.method == "POST" and not state["dropped"]:
            state["dropped"] += 1
            route.fetch(max_redirects=0)  # reaches the server, which files the application
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route(re.compile(re.escape(reverse("foi:apply")) + "$"), lose_first_answer)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile("^chrome-error://"))  # the browser's own error page
    assert Application.objects.count() == 1  # filed, though the citizen saw an error
    page.reload()
    number, code = _receipt(page)
    assert len(posts) == 2 and state["dropped"] == 1
    app = Application.objects.get()
    assert app.number == number
