"""The wording of answer letters (答复书), one per answer type of 条例 Art. 14-16, 30, 35-39, 42.

Plain module, no ORM. Each answer type fixes its annual-report row, the articles it cites
and its sentences; the legal basis is derived from the type, never typed by staff. Staff
add facts (where the information is published, the responsible agency, what is withheld)
and may add a 补充说明 paragraph, but cannot remove the citation.

Placeholders are ``{名称}`` and are filled by :func:`gongkai.foi.letters.render_text`
(a dict lookup, never ``str.format``), so staff-entered values cannot reach Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.foi import statutes
from gongkai.foi.letters import render_text


class LetterError(ValueError):
    """A value the chosen answer type needs is missing (message in Chinese)."""


@dataclass(frozen=True)
class Citation:
    law: str
    article: str           # "第三十六条"
    part: str = ""         # "第（一）项", "第二款"
    # Words the letter relies on; tests check they stand in the article's text.
    quote: str = ""

    def text(self) -> str:
        return f"{self.article}{self.part}"


def cite(citations: tuple[Citation, ...]) -> str:
    """``《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项``."""
    out: list[str] = []
    law = None
    for c in citations:
        if c.law != law:
            out.append(("" if law is None else "和") + statutes.law_title(c.law) + c.text())
            law = c.law
        else:
            out.append("、" + c.text())
    return "".join(out)


T = statutes.TIAOLI
A36_1 = Citation(T, "第三十六条", "第（一）项", "已经主动公开的，告知申请人获取该政府信息的方式")
A36_2 = Citation(T, "第三十六条", "第（二）项", "可以公开的，向申请人提供该政府信息")
A36_3 = Citation(T, "第三十六条", "第（三）项", "告知申请人不予公开并说明理由")
A36_4 = Citation(T, "第三十六条", "第（四）项", "告知申请人该政府信息不存在")
A36_5 = Citation(T, "第三十六条", "第（五）项", "不属于本行政机关负责公开的")
A36_6 = Citation(T, "第三十六条", "第（六）项", "告知申请人不予重复处理")
A36_7 = Citation(T, "第三十六条", "第（七）项", "对信息的获取有特别规定的")
A14 = Citation(T, "第十四条", "", "不予公开")
A15 = Citation(T, "第十五条", "", "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害")
A16_1 = Citation(T, "第十六条", "第一款", "内部事务信息，包括人事管理、后勤管理、内部工作流程")
A16_2 = Citation(T, "第十六条", "第二款", "过程性信息以及行政执法案卷信息，可以不予公开")
A2 = Citation(T, "第二条", "", "以一定形式记录、保存的信息")
A30 = Citation(T, "第三十条", "", "逾期不补正的，视为放弃申请")
A32 = Citation(T, "第三十二条", "", "行政机关应当书面征求第三方的意见")
A35 = Citation(T, "第三十五条", "", "申请理由不合理的，告知申请人不予处理")
A37 = Citation(T, "第三十七条", "", "应当向申请人提供可以公开的政府信息内容")
A38 = Citation(T, "第三十八条", "", "进行加工、分析的，行政机关可以不予提供")
A39_1 = Citation(T, "第三十九条", "第一款", "不作为政府信息公开申请处理")
A39_2 = Citation(T, "第三十九条", "第二款", "政府公报、报刊、书籍等公开出版物")
A42 = Citation(T, "第四十二条", "", "行政机关可以收取信息处理费")

# Remedies (行政复议法 2023 Art. 20: 六十日; 行政诉讼法 Art. 46: 六个月).
REVIEW_60_DAYS = Citation(statutes.FUYI, "第二十条", "", "六十日内提出行政复议申请")
LITIGATION_6_MONTHS = Citation(statutes.SUSONG, "第四十六条", "", "六个月内提出")


@dataclass(frozen=True)
class Exemption:
    """A ground for withholding (annual report rows 3.3.1-3.3.7)."""

    label: str
    # "{不予公开内容}属于……" — what the withheld information is, in the statute's words.
    phrase: str
    citations: tuple[Citation, ...]
    decision: str = "不予公开"


EXEMPTIONS: dict[str, Exemption] = {
    "3.3.1": Exemption("属于国家秘密", "依法确定为国家秘密的政府信息", (A14,)),
    "3.3.2": Exemption("法律、行政法规禁止公开", "{法律法规}禁止公开的政府信息", (A14,)),
    "3.3.3": Exemption("危及“三安全一稳定”",
                       "公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息", (A14,)),
    "3.3.4": Exemption("涉及商业秘密、个人隐私等第三方合法权益",
                       "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息", (A15,)),
    "3.3.5": Exemption("内部事务信息",
                       "行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
                       (A16_1,)),
    "3.3.6": Exemption("过程性信息",
                       "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、"
                       "请示报告等过程性信息", (A16_2,)),
    "3.3.7": Exemption("行政执法案卷信息", "行政执法案卷信息", (A16_2,)),
}


@dataclass(frozen=True)
class AnswerType:
    key: str
    label: str
    result: str                           # annual report row (Application.result)
    citations: tuple[Citation, ...]
    body: str                             # the type's own paragraph(s)
    required: tuple[str, ...] = ()        # values staff must give
    optional: tuple[str, ...] = ()
    title: str = "政府信息公开申请答复书"
    staff_choosable: bool = True
    extra: dict = field(default_factory=dict)


# Values staff may give, with the label the answer form shows.
DETAIL_LABELS = {
    "获取途径": "获取途径（网址、公报期数或查阅地点）",
    "负责机关": "负责公开的行政机关名称及联系方式",
    "法律法规": "有特别规定或禁止公开的法律、行政法规名称（含书名号）",
    "不予公开内容": "不予公开的内容",
    "部分公开依据": "不予公开部分的依据",
    "理由": "理由",
}

_HEAD = ("{申请人}：\n"
         "　　本机关于{收到日期}收到您提出的政府信息公开申请（申请编号：{申请编号}），"
         "申请公开“{所需信息}”。经审查，现{答复}如下：\n")

_WITHHELD = ("　　您申请公开的信息属于{依据短语}。根据{法律依据}的规定，"
             "本机关决定{处理决定}。{第三方意见}{理由}")

ANSWER_TYPES: dict[str, AnswerType] = {t.key: t for t in [
    AnswerType(
        "3.1.published", "予以公开：已主动公开，告知获取途径", "3.1", (A36_1,),
        "　　您申请公开的信息本机关已经主动公开。根据{法律依据}的规定，现告知您获取该政府信息"
        "的方式和途径：{获取途径}。您可以通过上述途径查阅、下载。{提供的信息}",
        required=("获取途径",)),
    AnswerType(
        "3.1.provided", "予以公开：向申请人提供", "3.1", (A36_2,),
        "　　您申请公开的信息属于可以公开的政府信息。根据{法律依据}的规定，本机关向您提供"
        "该政府信息。{提供的信息}",
        extra={"needs_files": True}),
    AnswerType(
        "3.2", "部分公开（区分处理）", "3.2", (A37,),
        "　　您申请公开的信息中含有不应当公开的内容，但是能够作区分处理。根据{本类条文}的规定，"
        "本机关向您提供可以公开的政府信息内容。{提供的信息}\n"
        "　　对不予公开的内容说明理由如下：{不予公开内容}属于{依据短语}，"
        "根据{部分公开条文}的规定，不予公开。{第三方意见}{理由}",
        required=("不予公开内容", "部分公开依据", "理由"),
        extra={"needs_files": True}),
    *[AnswerType(code, f"不予公开：{ex.label}", code, (*ex.citations, A36_3), _WITHHELD,
                 required=(("法律法规", "理由") if code == "3.3.2" else ("理由",)))
      for code, ex in EXEMPTIONS.items()],
    AnswerType(
        "3.3.8", "不予公开：属于行政查询事项（工商、不动产登记资料等）", "3.3.8", (A36_7,),
        "　　您申请获取的信息属于工商、不动产登记资料等有关法律、行政法规对信息的获取有特别规定"
        "的信息。根据{法律依据}的规定，请您依照{法律法规}的规定办理，办理途径：{获取途径}。"
        "{理由}",
        required=("法律法规", "获取途径")),
    AnswerType(
        "3.4.1.none", "无法提供：经检索没有所申请公开信息", "3.4.1", (A36_4,),
        "　　本机关经检索，没有您申请公开的信息。根据{法律依据}的规定，告知您该政府信息不存在。"
        "{理由}"),
    AnswerType(
        "3.4.1.other_agency", "无法提供：不属于本机关负责公开", "3.4.1", (A36_5,),
        "　　您申请公开的信息不属于本机关负责公开，理由是：{理由}根据{法律依据}的规定，"
        "现告知您：{负责机关说明}",
        required=("理由",), optional=("负责机关",)),
    AnswerType(
        "3.4.2", "无法提供：没有现成信息，需要另行制作", "3.4.2", (A38,),
        "　　本机关没有现成的您申请公开的信息，提供该信息需要本机关对现有政府信息进行加工、"
        "分析。根据{法律依据}的规定，本机关不予提供。{理由}"),
    AnswerType(
        "3.4.3", "无法提供：补正后申请内容仍不明确", "3.4.3", (A30,),
        "　　本机关已于{补正通知日期}书面告知您对申请作出补正。您补正后的申请内容仍不明确，"
        "本机关无法确定您申请公开的政府信息。根据{法律依据}的规定，本机关无法向您提供。{理由}"),
    AnswerType(
        "3.5.1", "不予处理：信访、投诉、举报类申请", "3.5.1", (A39_1,),
        "　　您的申请是以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{法律依据}的规定，"
        "本机关不作为政府信息公开申请处理。{渠道说明}{理由}",
        optional=("获取途径",)),
    AnswerType(
        "3.5.2", "不予处理：重复申请", "3.5.2", (A36_6,),
        "　　本机关已就您提出的相同政府信息公开申请作出答复{前次答复}，您再次申请公开相同的"
        "政府信息。根据{法律依据}的规定，本机关不予重复处理。{理由}"),
    AnswerType(
        "3.5.3", "不予处理：要求提供公开出版物", "3.5.3", (A39_2,),
        "　　您申请获取的是政府公报、报刊、书籍等公开出版物。根据{法律依据}的规定，"
        "现告知您获取的途径：{获取途径}。{理由}",
        required=("获取途径",)),
    AnswerType(
        "3.5.4", "不予处理：数量、频次明显超过合理范围且理由不合理", "3.5.4", (A35,),
        "　　您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由。经审查，"
        "您说明的申请理由不合理。根据{法律依据}的规定，本机关不予处理。{理由}",
        required=("理由",)),
    AnswerType(
        "3.5.5", "不予处理：要求确认或重新出具已获取的信息", "3.5.5", (A2, A36_6),
        "　　您的申请是要求本机关对您已经获取的信息予以确认或者重新出具，不是申请获取本机关"
        "制作或者获取的、以一定形式记录、保存的政府信息。根据{法律依据}的规定，本机关不作为"
        "政府信息公开申请处理。{理由}",
        required=("理由",)),
    # No article governs a withdrawal; the letter records it and cites nothing.
    AnswerType(
        "3.6.3.withdrawn", "其他处理：申请人撤回申请", "3.6.3", (),
        "　　您已书面撤回该政府信息公开申请，本机关不再处理该申请。{理由}",
        title="政府信息公开申请告知书"),
    AnswerType(
        "3.6.1", "其他处理：逾期不补正", "3.6.1", (A30,),
        "　　本机关已于{补正通知日期}书面告知您在{补正期限}前对申请作出补正。您无正当理由逾期"
        "未补正，根据{法律依据}的规定，视为放弃申请，本机关不再处理该政府信息公开申请。",
        title="政府信息公开申请告知书", staff_choosable=False),
    AnswerType(
        "3.6.2", "其他处理：逾期未缴纳信息处理费", "3.6.2", (A42,),
        "　　本机关已于{收费通知日期}向您发出信息处理费收费通知，您未在{缴费期限}前缴纳。"
        "根据{法律依据}和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，"
        "视为放弃申请，本机关不再处理该政府信息公开申请。",
        title="政府信息公开申请告知书", staff_choosable=False),
]}

REMEDY = ("　　如对本{文书}不服，可以自收到本{文书}之日起六十日内向{复议机关}申请行政复议，"
          "也可以自收到本{文书}之日起六个月内向{人民法院}提起行政诉讼。")

STAFF_CHOICES = [(t.key, f"{t.label}（{cite(t.citations)}）" if t.citations else t.label)
                 for t in ANSWER_TYPES.values() if t.staff_choosable]


def legal_basis(type_key: str, details: dict | None = None) -> str:
    """The full citation of an answer, the partial-disclosure ground included."""
    t = ANSWER_TYPES[type_key]
    details = details or {}
    citations = t.citations
    ground = details.get("部分公开依据", "") if type_key == "3.2" else t.result
    if type_key == "3.2" and ground in EXEMPTIONS:
        citations = (*citations, *EXEMPTIONS[ground].citations)
    if ground == "3.3.4" and details.get("第三方意见"):
        citations = (*citations, A32)
    return cite(_sorted(citations))


def _sorted(citations):
    """Cite in the statute's order without repeats: 第十五条、第三十二条、第三十六条第（三）项."""
    numbers = {"第二条": 2, "第十四条": 14, "第十五条": 15, "第十六条": 16, "第三十条": 30,
               "第三十二条": 32, "第三十五条": 35, "第三十六条": 36, "第三十七条": 37,
               "第三十八条": 38, "第三十九条": 39, "第四十二条": 42}
    seen, out = set(), []
    for c in sorted(citations, key=lambda c: (c.law, numbers.get(c.article, 99), c.part)):
        if (c.law, c.article, c.part) not in seen:
            seen.add((c.law, c.article, c.part))
            out.append(c)
    return tuple(out)


def _sentence(text: str) -> str:
    """Staff text as a sentence: trimmed, ending with 。 unless it ends with punctuation."""
    text = (text or "").strip()
    if text and text[-1] not in "。！？；）)”":
        text += "。"
    return text


def check(type_key: str, details: dict) -> None:
    """Raise LetterError if a value the type needs is missing."""
    if type_key not in ANSWER_TYPES:
        raise LetterError("请选择答复类型。")
    t = ANSWER_TYPES[type_key]
    for name in t.required:
        if not (details.get(name) or "").strip():
            raise LetterError(f"该答复类型须填写{DETAIL_LABELS[name]}。")
    if type_key == "3.2" and details.get("部分公开依据") not in EXEMPTIONS:
        raise LetterError("请选择不予公开部分的依据（条例第十四条至第十六条）。")


def render_answer(type_key: str, values: dict[str, str], details: dict[str, str]
                  ) -> tuple[str, str, str]:
    """Title, body and legal basis of one answer letter.

    ``values`` are the application's placeholders (申请人, 收到日期, 申请编号, 所需信息,
    补正通知日期 …, 提供的信息, 复议机关, 人民法院); ``details`` what staff entered.
    """
    check(type_key, details)
    t = ANSWER_TYPES[type_key]
    basis = legal_basis(type_key, details)
    v = dict(values)
    v.update({k: (details.get(k) or "").strip() for k in DETAIL_LABELS})
    v["理由"] = _sentence(details.get("理由", ""))
    v["法律依据"] = basis
    v["本类条文"] = cite(t.citations)
    code = details.get("部分公开依据") if type_key == "3.2" else t.result
    # Only a third-party ground (Art. 15) speaks of the Art. 32 consultation.
    v["第三方意见"] = _sentence(details.get("第三方意见", "")) if code == "3.3.4" else ""
    if code in EXEMPTIONS:
        ex = EXEMPTIONS[code]
        v["依据短语"] = render_text(ex.phrase, v)
        v["处理决定"] = ex.decision
        v["部分公开条文"] = cite(_sorted(ex.citations))
    agency = v.get("负责机关", "")
    v["负责机关说明"] = (f"负责公开该政府信息的行政机关为{agency}，您可以向该机关提出申请。"
                     if agency else "本机关无法确定负责公开该政府信息的行政机关。")
    channel = v.get("获取途径", "")
    v["渠道说明"] = (f"您可以通过{channel}提出。" if channel
                 else "您可以通过信访、投诉、举报等相应渠道提出。")
    prev = v.get("前次答复", "")
    v["前次答复"] = f"（{prev}）" if prev else ""
    v.setdefault("提供的信息", "")
    if t.extra.get("needs_files") and not v["提供的信息"]:
        raise LetterError("请上传向申请人提供的文件，或填写已公开文件的标题和链接。")
    v["文书"] = t.title.removeprefix("政府信息公开申请")
    v["答复"] = v["文书"].removesuffix("书")
    for name in ("复议机关", "人民法院"):
        if not v.get(name):
            raise LetterError("承办单位未设置行政复议机关和管辖法院，不能出具答复书。")
    body = render_text(_HEAD + t.body, v).rstrip()
    supplement = _sentence(details.get("补充说明", ""))
    if supplement:
        body += "\n　　" + supplement
    body += "\n" + render_text(REMEDY, v)
    return t.title, body, basis


def provided_list(items: list[tuple[str, int | None, str]]) -> str:
    """``items`` = (title, pages, link); the sentence listing what the applicant receives."""
    if not items:
        return ""
    lines = []
    for n, (title, pages, link) in enumerate(items, 1):
        detail = f"，共{pages}页" if pages else ""
        where = f"，网址：{link}" if link else ""
        lines.append(f"　　{n}．{title}{detail}{where}")
    return ("随本答复书提供以下材料，您也可以凭申请编号和查询码在本网站查询页面下载：\n"
            + "\n".join(lines))
