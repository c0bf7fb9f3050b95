"""Answer letters: every type renders as statute language with its own citation (no DB)."""

import datetime as dt
import io
import re

import pytest

from gongkai.foi import letter_texts as L
from gongkai.foi import letters, statutes

VALUES = {
    "申请人": "张三", "收到日期": "2026年11月2日", "申请编号": "依申请〔2026〕7号",
    "所需信息": "槐荫区2025年老旧小区改造项目清单", "补正通知日期": "2026年11月4日",
    "补正期限": "2026年11月18日", "收费通知日期": "2026年11月10日", "缴费期限": "2026年12月8日",
    "复议机关": "济南市槐荫区人民政府", "人民法院": "济南市槐荫区人民法院",
    "提供的信息": L.provided_list([("老旧小区改造项目清单", 3, "")]),
}
DETAILS = {
    "获取途径": "槐荫区人民政府门户网站“政府信息公开”栏目", "负责机关": "济南市住房和城乡建设局",
    "法律法规": "《不动产登记暂行条例》", "不予公开内容": "居民的身份证号码",
    "部分公开依据": "3.3.4", "理由": "该信息涉及居民个人隐私",
}

# The sentence each type must say, in the words of its article.
WORDING = {
    "3.1.published": "现告知您获取该政府信息的方式和途径：槐荫区人民政府门户网站",
    "3.1.provided": "本机关向您提供该政府信息",
    "3.2": "居民的身份证号码属于涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息",
    "3.3.1": "属于依法确定为国家秘密的政府信息",
    "3.3.2": "属于《不动产登记暂行条例》禁止公开的政府信息",
    "3.3.3": "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息",
    "3.3.4": "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息",
    "3.3.5": "内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
    "3.3.6": "讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    "3.3.7": "属于行政执法案卷信息",
    "3.3.8": "请您依照《不动产登记暂行条例》的规定办理",
    "3.4.1.none": "告知您该政府信息不存在",
    "3.4.1.other_agency": "负责公开该政府信息的行政机关为济南市住房和城乡建设局",
    "3.4.2": "需要本机关对现有政府信息进行加工、分析",
    "3.4.3": "补正后的申请内容仍不明确",
    "3.5.1": "不作为政府信息公开申请处理",
    "3.5.2": "本机关不予重复处理",
    "3.5.3": "政府公报、报刊、书籍等公开出版物",
    "3.5.4": "数量、频次明显超过合理范围",
    "3.5.5": "不作为政府信息公开申请处理",
    "3.6.1": "视为放弃申请，本机关不再处理该政府信息公开申请",
    "3.6.3.withdrawn": "您已书面撤回该政府信息公开申请，本机关不再处理该申请",
    "3.6.2": "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
}

CITATION = {
    "3.1.published": "第三十六条第（一）项", "3.1.provided": "第三十六条第（二）项",
    "3.2": "第十五条、第三十七条",
    "3.3.1": "第十四条、第三十六条第（三）项", "3.3.2": "第十四条、第三十六条第（三）项",
    "3.3.3": "第十四条、第三十六条第（三）项", "3.3.4": "第十五条、第三十六条第（三）项",
    "3.3.5": "第十六条第一款、第三十六条第（三）项",
    "3.3.6": "第十六条第二款、第三十六条第（三）项",
    "3.3.7": "第十六条第二款、第三十六条第（三）项", "3.3.8": "第三十六条第（七）项",
    "3.4.1.none": "第三十六条第（四）项", "3.4.1.other_agency": "第三十六条第（五）项",
    "3.4.2": "第三十八条", "3.4.3": "第三十条", "3.5.1": "第三十九条第一款",
    "3.5.2": "第三十六条第（六）项", "3.5.3": "第三十九条第二款", "3.5.4": "第三十五条",
    "3.5.5": "第二条、第三十六条第（六）项", "3.6.1": "第三十条", "3.6.2": "第四十二条",
}
NO_ARTICLE = {"3.6.3.withdrawn"}  # a withdrawal: nothing to cite, and it does not pretend to


@pytest.mark.parametrize("key", list(L.ANSWER_TYPES))
def test_every_answer_type_cites_its_articles_in_official_wording(key):
    title, body, basis = L.render_answer(key, VALUES, DETAILS)
    if key in NO_ARTICLE:
        assert basis == "" and "根据" not in body and "条例" not in body
    else:
        assert basis == "《中华人民共和国政府信息公开条例》" + CITATION[key]
        assert f"根据{basis}" in body or f"根据{L.cite(L.ANSWER_TYPES[key].citations)}" in body
    assert WORDING[key] in body
    assert body.startswith("张三：\n　　本机关于2026年11月2日收到您提出的政府信息公开申请")
    assert "六十日内向济南市槐荫区人民政府申请行政复议" in body
    assert "六个月内向济南市槐荫区人民法院提起行政诉讼" in body
    assert not re.search(r"\{[^}]*\}", body), body  # no placeholder left
    # No annual-report label pasted into a sentence, no doubled or missing punctuation.
    for bad in ("因其他", "三类内部事务信息", "您申请公开的信息保护", "。。", "，。", "：。"):
        assert bad not in body, (bad, body)
    assert title in ("政府信息公开申请答复书", "政府信息公开申请告知书")


def test_every_cited_article_is_held_with_the_words_the_letter_relies_on():
    cited = [c for t in L.ANSWER_TYPES.values() for c in t.citations]
    cited += [c for ex in L.EXEMPTIONS.values() for c in ex.citations]
    cited += [L.A32, L.REVIEW_60_DAYS, L.LITIGATION_6_MONTHS]
    for c in cited:
        text = statutes.article(c.law, c.article)
        assert c.quote and c.quote in text, (c, text)
    assert "六十日" in L.REMEDY and "六个月" in L.REMEDY
    assert "2023年9月1日" in statutes._data()["laws"]["fuyi"]["version"]


def test_partial_disclosure_cites_article_37_and_the_ground_of_what_is_withheld():
    for code, ex in L.EXEMPTIONS.items():
        details = {**DETAILS, "部分公开依据": code}
        _, body, basis = L.render_answer("3.2", VALUES, details)
        assert basis.startswith("《中华人民共和国政府信息公开条例》")
        assert "第三十七条" in basis and ex.citations[0].article in basis
        assert f"根据{L.cite(ex.citations)}的规定，不予公开" in body
        assert "对不予公开的内容说明理由如下：居民的身份证号码属于" in body
        assert "老旧小区改造项目清单，共3页" in body


def test_third_party_opinion_is_stated_only_for_the_third_party_ground():
    details = {**DETAILS, "第三方意见": "本机关已书面征求第三方意见，第三方不同意公开并说明了理由"}
    _, body, basis = L.render_answer("3.3.4", VALUES, details)
    assert "第三方不同意公开并说明了理由。" in body and "第三十二条" in basis
    _, body, basis = L.render_answer("3.3.5", VALUES, details)
    assert "第三方" not in body and "第三十二条" not in basis


@pytest.mark.parametrize("key,missing,message", [
    ("3.1.published", "获取途径", "获取途径"),
    ("3.3.2", "法律法规", "法律、行政法规名称"),
    ("3.3.4", "理由", "理由"),
    ("3.2", "不予公开内容", "不予公开的内容"),
    ("3.3.8", "获取途径", "获取途径"),
    ("3.5.3", "获取途径", "获取途径"),
    ("3.4.1.other_agency", "理由", "理由"),
])
def test_a_type_refuses_to_render_without_the_facts_it_needs(key, missing, message):
    with pytest.raises(L.LetterError, match=message):
        L.render_answer(key, VALUES, {**DETAILS, missing: "  "})


def test_disclosure_needs_what_is_provided_and_every_letter_needs_remedy_bodies():
    with pytest.raises(L.LetterError, match="上传"):
        L.render_answer("3.1.provided", {**VALUES, "提供的信息": ""}, DETAILS)
    with pytest.raises(L.LetterError, match="部分公开的依据|不予公开部分的依据"):
        L.render_answer("3.2", VALUES, {**DETAILS, "部分公开依据": "3.6.1"})
    with pytest.raises(L.LetterError, match="行政复议机关"):
        L.render_answer("3.4.2", {**VALUES, "复议机关": ""}, DETAILS)


def test_staff_text_is_added_after_the_statutory_wording_never_instead_of_it():
    _, body, basis = L.render_answer("3.3.6", VALUES, {**DETAILS, "补充说明": "如有疑问请来电"})
    assert f"根据{basis}的规定，本机关决定不予公开。该信息涉及居民个人隐私。" in body
    assert "\n　　如有疑问请来电。\n　　如对本答复书不服" in body
    # A placeholder typed by staff is not expanded.
    _, body, _ = L.render_answer("3.4.2", VALUES, {"理由": "见{申请人.__class__}"})
    assert "见{申请人.__class__}。" in body


def test_auto_closing_letters_are_notices_not_answers():
    title, body, _ = L.render_answer("3.6.1", VALUES, {})
    assert title == "政府信息公开申请告知书" and "现告知如下" in body
    assert "如对本告知书不服" in body
    assert ("3.6.1", "3.6.2") == tuple(k for k, t in L.ANSWER_TYPES.items()
                                      if not t.staff_choosable)
    assert all(k not in dict(L.STAFF_CHOICES) for k in ("3.6.1", "3.6.2"))


@pytest.mark.parametrize("key", ["3.2", "3.3.4", "3.4.1.other_agency", "3.5.2"])
def test_letters_render_to_a4_docx_and_pdf_with_the_citation(key):
    from docx import Document
    from pypdf import PdfReader

    title, body, basis = L.render_answer(key, VALUES, DETAILS)
    args = {"title": title, "number": "区政府依申请〔2026〕9号", "body": body,
            "issuer": "济南市槐荫区人民政府", "date": dt.date(2026, 11, 20)}
    doc = Document(io.BytesIO(letters.build_docx(**args)))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    docx_text = "".join(p.text for p in doc.paragraphs)
    assert all(part in docx_text for part in CITATION[key].split("、"))
    reader = PdfReader(io.BytesIO(letters.build_pdf(**args)))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (
        210, 297)
    text = "".join(p.extract_text() for p in reader.pages)
    text = re.sub(r"[\s\x00]", "", text)
    assert CITATION[key].split("、")[-1] in text and "申请行政复议" in text
