"""Typed query parameters: junk falls back or raises BadParameter, never reaches int()."""

import datetime as dt

import pytest

from gongkai.core import params
from gongkai.core.params import BadParameter

UNICODE_DIGITS = ["²", "١٢", "１２", "³⁴", "߁"]


@pytest.mark.parametrize("junk", UNICODE_DIGITS + ["\x00", "1\x00", "\ud800", "1e3", "0x10",
                                                   "9" * 30, "", " ", "1 2", "١"])
def test_parse_int_refuses_anything_but_ascii_digits(junk):
    assert params.parse_int(junk, default=7) in (7,)
    if junk.strip():
        with pytest.raises(BadParameter) as exc:
            params.parse_int(junk, strict=True, label="页码")
        assert "页码" in exc.value.message


def test_parse_int_bounds_and_signs():
    assert params.parse_int(" 42 ") == 42
    assert params.parse_int("-3", min=-5) == -3
    assert params.parse_int("-3") is None  # min defaults to 0
    assert params.parse_int(str(params.DB_INT_MAX)) == params.DB_INT_MAX
    assert params.parse_int(str(params.DB_INT_MAX + 1)) is None
    assert params.parse_int("11", max=10, default=1) == 1
    with pytest.raises(BadParameter, match="1 至 10"):
        params.parse_int("11", min=1, max=10, strict=True)


def test_ids_and_pages():
    assert params.parse_id("0") is None and params.parse_id("5") == 5
    assert params.parse_ids(["1", "2"]) == [1, 2]
    assert params.parse_ids(["1", "²"]) is None
    assert params.parse_ids([str(i) for i in range(1, 50)], limit=3) == [1, 2, 3]
    assert params.parse_page("²") == 1 and params.parse_page("0") == 1
    assert params.parse_page("3") == 3 and params.parse_page("99999999", max=100) == 1


def test_years_and_dates():
    assert params.parse_year("2026") == 2026
    assert params.parse_year("²⁰²⁶") is None and params.parse_year("1800") is None
    assert params.parse_date("2026-02-28") == dt.date(2026, 2, 28)
    for junk in ("2026-02-30", "2026-2-3", "２０２６-01-01", "2026-01-01\x00", "20260101"):
        assert params.parse_date(junk) is None
    with pytest.raises(BadParameter, match="日期无效"):
        params.parse_date("2026-13-01", strict=True)


def test_choices_and_slugs():
    choices = [("text", "文字解读"), ("video", "视频解读")]
    assert params.parse_choice("video", choices) == "video"
    assert params.parse_choice("video\x00", choices, default="") == ""
    assert params.parse_choice("a", ["a", "b"]) == "a"
    with pytest.raises(BadParameter):
        params.parse_choice("c", ["a", "b"], strict=True)
    assert params.parse_slug("hyq-fgj") == "hyq-fgj"
    for junk in ("hyq\x00", "槐荫", "x" * 65, "a b", "a/b"):
        assert params.parse_slug(junk) is None


def test_clean_text_strips_what_databases_refuse():
    assert params.clean_text("  供暖\x00通知\ud800 ") == "供暖通知"
    assert params.clean_text("a\tb\nc\x07\x1b") == "a\tb\nc"
    assert params.clean_text("x" * 3000, max_len=100) == "x" * 100
    assert params.clean_text(None) == "" and params.clean_text(None, default="d") == "d"
    # Chinese, full-width forms, emoji and FTS syntax are text, not junk.
    kept = "《条例》第１条 \"a\" OR b* NEAR(c) 😀"
    assert params.clean_text(kept) == kept
    assert params.is_clean(kept) and not params.is_clean("a\x00")


def _raising_view(request):
    params.parse_year(request.GET.get("year"), strict=True)
    from django.http import HttpResponse

    return HttpResponse("ok")


def _pk_view(request, pk):
    from django.http import HttpResponse

    return HttpResponse(str(pk))


urlpatterns = []  # filled below; this module doubles as a URLconf for the next test


@pytest.mark.django_db
def test_bad_parameter_is_a_chinese_400_page_and_wide_ids_are_404(settings, client):
    from django.urls import path

    from gongkai import urls as site_urls

    # The site's own patterns too: the error page links to them.
    urlpatterns[:] = [path("strict/", _raising_view), path("n/<int:pk>/", _pk_view),
                      *site_urls.urlpatterns]
    settings.ROOT_URLCONF = __name__
    assert client.get("/strict/?year=2026").content == b"ok"
    r = client.get("/strict/?year=%C2%B2")
    assert r.status_code == 400 and "年份须为数字" in r.content.decode()
    assert client.get(f"/n/{params.DB_INT_MAX}/").status_code == 200
    assert client.get(f"/n/{params.DB_INT_MAX + 1}/").status_code == 404
