"""Splitting drafts into 章/条/款 and comparing final and draft, without a database."""

from gongkai.participation import articles

DRAFT = """济南市槐荫区养犬管理办法（征求意见稿）
第一章 总则
第一条 为了规范养犬行为，制定本办法。
第二条 本办法适用于本区行政区域内的养犬管理。
第二章 养犬登记
第三条 个人养犬应当办理登记。
登记应当提交犬只免疫证明。
第四条　重点管理区内禁止饲养烈性犬。
"""


def test_split_chapters_articles_and_paragraphs():
    arts = articles.split(DRAFT)
    assert [a.label for a in arts] == ["说明", "第一条", "第二条", "第三条", "第四条"]
    assert arts[0].number == 0 and arts[0].text.startswith("济南市槐荫区养犬管理办法")
    third = arts[3]
    assert third.number == 3
    assert third.chapter == "第二章 养犬登记"
    assert third.paragraphs == ["个人养犬应当办理登记。", "登记应当提交犬只免疫证明。"]
    assert arts[4].paragraphs == ["重点管理区内禁止饲养烈性犬。"]  # full-width space after 条号
    assert arts[1].chapter == "第一章 总则"


def test_text_without_articles_becomes_numbered_paragraphs():
    arts = articles.split("关于调整公交线路的方案\n\n一、调整内容\x00\r\n二、实施时间")
    assert [a.label for a in arts] == ["第1段", "第2段", "第3段"]
    assert arts[1].text == "一、调整内容"


def test_empty_text():
    assert articles.split("") == []
    assert articles.split("   \n\n") == []


def test_compare_article_by_article():
    final = DRAFT.replace("个人养犬应当办理登记。", "个人养犬应当在取得犬只后三十日内办理登记。"
                          ).replace("第四条　重点管理区内禁止饲养烈性犬。\n", "") + \
        "第五条 本办法自2027年1月1日起施行。\n"
    rows = {r[0]: r[1] for r in articles.compare(articles.split(DRAFT), articles.split(final))}
    assert rows["第一条"] == "same"
    assert rows["第三条"] == "changed"
    assert rows["第四条"] == "removed"
    assert rows["第五条"] == "added"
