"""Chinese line breaking (禁则) of the shared PDF document, without a database."""

from gongkai.core.pdf import NO_LINE_END, NO_LINE_START, break_cjk


def width(text: str) -> float:
    return float(len(text))  # one unit a character: easy to reason about


def test_closing_punctuation_hangs_instead_of_starting_a_line():
    # 10 characters a line: "，" would open line 2, so it hangs at the end of line 1.
    lines = break_cjk(width, "本机关已于十一月收到，申请公开的信息。", 10)
    assert lines[0] == "本机关已于十一月收到，"
    assert all(line[0] not in NO_LINE_START for line in lines[1:])
    assert "".join(lines) == "本机关已于十一月收到，申请公开的信息。"


def test_opening_punctuation_never_ends_a_line_and_numbers_stay_whole():
    lines = break_cjk(width, "根据条例第三十六条《中华人民共和国政府信息公开条例》2026年", 9)
    assert all(line[-1] not in NO_LINE_END for line in lines if line)
    assert any("2026年" in line for line in lines)
    assert "".join(lines) == "根据条例第三十六条《中华人民共和国政府信息公开条例》2026年"


def test_every_line_fits_except_for_one_hung_mark():
    text = "经审查，现答复如下：" * 12
    for line in break_cjk(width, text, 7):
        assert len(line) <= 7 or (len(line) == 8 and line[-1] in NO_LINE_START)
