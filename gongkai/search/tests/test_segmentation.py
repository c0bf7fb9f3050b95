"""Segmentation, normalisation and query parsing: no database."""

import pytest

from gongkai.search.query import docnum_key, parse
from gongkai.search.segmenters import get_segmenter, normalize
from gongkai.search.snippets import highlight, snippet


@pytest.fixture(params=["jieba", "rjieba"])
def seg(request):
    return get_segmenter(request.param)


def test_square_and_fullwidth_brackets_normalise_to_the_official_form():
    assert normalize("槐政办字[2021]4号") == normalize("槐政办字〔2021〕4号")
    assert normalize("槐政办字［２０２１］４号") == "槐政办字〔2021〕4号"
    assert docnum_key("槐政办字[2021]4号") == "槐政办字〔2021〕4号"
    assert docnum_key("槐政办字【2021】第04号") == "槐政办字〔2021〕4号"
    assert docnum_key("小微企业房租减免") == ""


@pytest.mark.parametrize("term", ["放管服", "一网通办", "六稳六保", "双招双引", "规范性文件"])
def test_government_terms_stay_whole(seg, term):
    assert term in seg.words(f"深化{term}改革的实施意见")


def test_index_words_include_sub_words_of_long_words(seg):
    words = seg.index_words("中华人民共和国政府信息公开条例")
    assert "人民" in words and "中华人民共和国" in words


def test_question_drops_stop_words_but_keeps_topic_words(seg):
    q = parse("小微企业减免房租有哪些政策？", seg)
    assert "小微企业" in q.terms and "房租" in q.terms
    assert "有" not in q.terms and "哪些" not in q.terms and "？" not in q.terms


def test_a_query_of_only_stop_words_still_searches_them(seg):
    assert parse("什么", seg).terms == ["什么"]


def test_quoted_phrase_and_exclusion_are_parsed(seg):
    q = parse('"复工复产" 补贴 -北京', seg)
    assert q.phrases == ["复工复产"]
    assert "复工复产" in q.terms and "补贴" in q.terms
    assert q.excluded == [["北京"]]
    assert "北京" not in q.terms


def test_query_with_only_symbols_is_empty(seg):
    assert parse('"" -- *** ()', seg).is_empty


def test_docnum_in_query_is_detected(seg):
    assert parse("槐政办字[2021]4号", seg).docnum == "槐政办字〔2021〕4号"


def test_snippet_escapes_html_before_marking():
    html = snippet("<script>alert(1)</script> 房租减免政策", ["房租"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>房租</mark>" in html


def test_highlight_marks_every_occurrence_longest_first():
    assert str(highlight("放管服改革，放管服", ["放管服", "放管服改革"])) == (
        "<mark>放管服改革</mark>，<mark>放管服</mark>")


def test_snippet_window_centres_on_the_matches():
    text = "无关内容。" * 100 + "这里讲住房公积金缓缴" + "其他内容。" * 100
    html = str(snippet(text, ["住房公积金"], width=60))
    assert "<mark>住房公积金</mark>" in html
    assert html.startswith("…") and html.endswith("…")


def test_data_blobs_are_not_indexed_as_words(seg):
    blob = "A" * 5000
    assert blob not in seg.index_words(f"附件 {blob} 通知")
    assert "通知" in seg.index_words(f"附件 {blob} 通知")


def test_highlight_is_the_escaping_loop_over_the_alternation_of_the_words():
    """highlight() and snippet() find the words without a compiled pattern when they have
    no case (Chinese, digits, punctuation) and skip escaping when the text has nothing to
    escape (gongkai/search/snippets.py); both must give what escaping each piece between the
    matches of the alternation (longest first, ignoring case) gives: texts with and without
    characters to escape, words that are prefixes of others, adjacent and repeated ones."""
    import html
    import random
    import re

    from gongkai.search import snippets

    def reference(text: str, words: list[str]) -> str:
        words = [w for w in words if w]
        if not words:
            return html.escape(text)
        alts = sorted({re.escape(w) for w in words}, key=len, reverse=True)
        out, pos = [], 0
        for m in re.finditer("|".join(alts), text, re.IGNORECASE):
            out += (html.escape(text[pos:m.start()]), f"<mark>{html.escape(m.group(0))}</mark>")
            pos = m.end()
        out.append(html.escape(text[pos:]))
        return "".join(out).replace("</mark><mark>", "")

    rnd = random.Random(92)
    kinds = {"literal": 0, "regex": 0, "escaped": 0}
    for alphabet in ("政府信息公开政府12〔〕 .-", "政府信息公开aAbBſsKk12 &<>\"'\\.", "ab"):
        for _ in range(3000):
            text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
            words = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 4)))
                     for _ in range(rnd.randint(0, 4))]
            pat = snippets._pattern(words)
            if pat is not None:
                kinds["literal" if isinstance(pat, snippets._Literals) else "regex"] += 1
            kinds["escaped"] += re.search(r"[&<>\"']", text) is not None
            assert str(highlight(text, words)) == reference(text, words), (text, words)
    assert min(kinds.values()) > 500, kinds  # every path was taken


def test_snippet_window_is_the_same_with_and_without_a_compiled_pattern():
    """The densest window of a snippet is found from the same match starts whether the
    words went through re or str.find."""
    import random
    import re

    from gongkai.search import snippets

    rnd = random.Random(16)
    alphabet = "住房公积金缓缴政策通知，。 "
    for _ in range(500):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(100, 600)))
        words = ["".join(rnd.choice(alphabet.strip()) for _ in range(rnd.randint(1, 3)))
                 for _ in range(rnd.randint(1, 4))]
        literal = snippets._pattern(words)
        assert isinstance(literal, snippets._Literals)
        regex = snippets._Regex(re.compile("|".join(sorted(
            {re.escape(w) for w in words}, key=len, reverse=True)), re.IGNORECASE))
        assert literal.spans(text) == regex.spans(text), (text, words)
