"""Hot topics, without a database."""

from gongkai.interaction import topics


def cut(text):
    return text.split()


def test_counts_each_text_once_and_drops_stop_words():
    current = ["停车 难 停车 问题", "停车 收费 咨询", "学校 划片"]
    result = topics.hot_topics(current, [], cut, frozenset({"难"}), min_count=1)
    terms = {t.term: t.count for t in result}
    assert terms["停车"] == 2  # two texts, not three mentions
    assert "问题" not in terms and "咨询" not in terms and "难" not in terms
    assert result[0].term == "停车"


def test_rising_compares_with_previous_period():
    current = ["供暖 温度"] * 5 + ["学校 划片"] * 3
    previous = ["学校 划片"] * 3 + ["供暖"]
    result = topics.hot_topics(current, previous, cut)
    by_term = {t.term: t for t in result}
    assert by_term["供暖"].rising and by_term["供暖"].previous == 1
    assert not by_term["学校"].rising
    assert [t.term for t in topics.rising(result)] == ["温度", "供暖"]  # by increase


def test_min_count_and_limit():
    current = [f"词{i}" for i in range(30)] + ["热点 词0"] * 3
    result = topics.hot_topics(current, [], cut, limit=2)
    assert [t.term for t in result] == ["词0", "热点"]
