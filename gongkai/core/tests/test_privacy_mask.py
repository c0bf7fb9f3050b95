"""Identity numbers on staff pages: only the last 4 characters visible."""

from django.template import Context, Template

from gongkai.core.privacy import mask_tail


def test_only_the_last_four_characters_show():
    assert mask_tail("11010519491231002X") == "*" * 14 + "002X"
    assert mask_tail("E12345678") == "*****5678"
    assert mask_tail("") == "" and mask_tail(None) == ""


def test_short_values_are_masked_entirely():
    # Showing 4 of 6 characters would show almost all of it.
    assert mask_tail("123456") == "******" and mask_tail("AB") == "**"


def test_template_filter_escapes_and_masks():
    out = Template("{% load privacy %}{{ v|mask_tail }}").render(Context({"v": "<b>1234567"}))
    assert out == "******4567" and "<b>" not in out
