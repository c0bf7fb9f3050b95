from gongkai.disclosure import textdiff


def test_unchanged_lines_are_left_out_and_changed_characters_marked():
    old = "第一条 为了规范管理，制定本条例。\n第二条 本条例自2010年1月1日起施行。\n第三条 不变。"
    new = "第一条 为了规范管理，制定本条例。\n第二条 本条例自2020年6月1日起施行。\n第三条 不变。"
    rows = textdiff.diff(old, new)
    assert [r.op for r in rows] == ["del", "ins"]
    assert rows[0].text == "第二条 本条例自2010年1月1日起施行。"
    assert rows[1].text == "第二条 本条例自2020年6月1日起施行。"
    changed_old = "".join(t for c, t in rows[0].segments if c)
    changed_new = "".join(t for c, t in rows[1].segments if c)
    assert "1" in changed_old and "6" in changed_new
    assert "施行" not in changed_new  # the common tail is not marked


def test_added_and_removed_lines():
    rows = textdiff.diff("甲\n乙\n丙", "甲\n丙\n丁")
    assert [(r.op, r.text) for r in rows] == [("del", "乙"), ("ins", "丁")]
    assert textdiff.diff("同样\n\n的文本", "同样\n的文本  ") == []


def test_html_is_escaped_and_dissimilar_lines_are_not_fragmented():
    rows = textdiff.diff("第一条 <b>甲</b>", "第一条 <b>乙</b>")
    assert rows[1].html() == "第一条 &lt;b&gt;<ins>乙</ins>&lt;/b&gt;"
    rows = textdiff.diff("完全不同的一行文字内容", "另外一句话")
    assert [len(r.segments) for r in rows] == [1, 1]
