"""Forms of 依申请公开. Every form validates on the server with Chinese messages."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gongkai.core.models import Organization, OrgKind
from gongkai.core.uploads import validate_upload
from gongkai.core.validators import credit_code_valid, id_card_valid
from gongkai.foi import clock, fees, letter_texts, letters
from gongkai.foi.models import (
    ORG_TYPES,
    RECEIPT_RULES,
    AppealKind,
    AppealOutcome,
    ApplicantType,
    Channel,
    Delivery,
    FeeDelivery,
    FormWanted,
    IdType,
    LetterKind,
    Opinion,
)

REQ = {"required": "此项为必填项。"}
DATE_ERR = {"required": "请填写日期。",
            "invalid": "请输入有效日期，格式为 年-月-日，例如 2026-11-02。"}


def date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text,
                           error_messages=DATE_ERR,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


# Mobile (optionally +86), or a fixed line with area code and optional extension, or a
# local 7-8 digit number; spaces, hyphens and brackets as people type them.
_PHONE = re.compile(r"^(?:(?:\+?86)?1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:转?\d{1,6})?|\d{7,8})$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value or "")


def chinese_messages(form: forms.BaseForm) -> None:
    """The project's own wording for Django's stock messages (「确保该变量…」 etc.)."""
    stock_required = str(forms.Field.default_error_messages["required"])
    for field in form.fields.values():
        msgs = field.error_messages
        if str(msgs.get("required")) == stock_required:
            msgs["required"] = "此项为必填项。"
        if getattr(field, "max_length", None) and not isinstance(field, forms.FileField):
            msgs["max_length"] = f"最多填写{field.max_length}个字，请精简后再提交。"
        if getattr(field, "min_length", None):
            msgs["min_length"] = f"至少填写{field.min_length}个字。"
        for key in ("invalid_choice", "invalid_list"):
            stock = type(field).default_error_messages.get(key)
            if stock is not None and str(msgs.get(key)) == str(stock):
                msgs[key] = "请从列表中选择。"
        if isinstance(field, forms.FileField):
            msgs.update({"invalid": "上传的文件无效，请重新选择。",
                         "missing": "没有收到文件，请重新选择。",
                         "empty": "上传的文件是空的，请重新选择。",
                         "max_length": "文件名太长，请改短后再上传。",
                         "contradiction": "请上传文件或勾选清除，不能同时进行。"})


class ChineseForm(forms.Form):
    """A form whose stock Django messages are the project's own Chinese."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        chinese_messages(self)


def addressee_choices():
    return Organization.objects.filter(
        is_active=True, kind__in=[OrgKind.GOVERNMENT, OrgKind.OFFICE, OrgKind.DEPARTMENT,
                                  OrgKind.SUBDISTRICT])


class ApplicationForm(forms.Form):
    """The public application form (条例 Art. 29)."""

    applicant_kind = forms.ChoiceField(
        label="申请人类型", widget=forms.RadioSelect,
        choices=[("person", "自然人"), ("org", "法人或其他组织")],
        error_messages={"required": "请选择申请人类型。"})
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_type = forms.ChoiceField(label="证件类型", choices=IdType.choices, required=False,
                                initial=IdType.ID_CARD)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False,
                                help_text="居民身份证请填写18位号码。")
    org_name = forms.CharField(label="名称", max_length=100, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    org_type = forms.ChoiceField(label="机构类型", choices=[("", "请选择"), *ORG_TYPES],
                                 required=False)
    contact_person = forms.CharField(label="联系人姓名", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=30, error_messages=REQ,
                            help_text="手机号码，或带区号的固定电话，例如 0531-87654321。")
    email = forms.EmailField(label="电子邮箱", required=False,
                             error_messages={"invalid": "请输入有效的电子邮箱地址。"})
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postcode = forms.RegexField(label="邮政编码", regex=r"^\d{6}$", required=False,
                                error_messages={"invalid": "邮政编码为6位数字。"})
    addressee = forms.ModelChoiceField(
        label="受理机关", queryset=Organization.objects.none(), empty_label="请选择",
        error_messages={"required": "请选择向哪个机关提出申请。",
                        "invalid_choice": "请从列表中选择受理机关。"},
        help_text="不清楚由哪个机关公开的，可选择槐荫区人民政府，由区政府办公室分办。")
    subject = forms.CharField(label="所需信息的名称", max_length=300, error_messages=REQ)
    doc_number = forms.CharField(label="文号", max_length=100, required=False,
                                 help_text="知道文号的请填写，例如 槐政发〔2026〕1号。")
    description = forms.CharField(label="其他特征描述", required=False, max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="例如信息的形成时间、制作机关、内容要点，便于准确查找。")
    forms_wanted = forms.MultipleChoiceField(
        label="信息的指定提供形式", choices=FormWanted.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "请至少选择一种提供形式。"})
    delivery = forms.ChoiceField(label="获取信息的方式", choices=Delivery.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "请选择获取信息的方式。"})
    identity_proof = forms.FileField(
        label="身份证明", required=False,
        help_text="自然人上传身份证件，法人或其他组织上传营业执照等证明；PDF、JPG 或 PNG，"
                  "不超过20MB。")
    consent = forms.BooleanField(
        label="我确认所填信息真实，并同意本机关为办理本申请使用上述个人信息。",
        error_messages={"required": "请阅读并勾选确认声明。"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["addressee"].queryset = addressee_choices()
        chinese_messages(self)

    def clean_phone(self):
        phone = normalise_phone(self.cleaned_data.get("phone", ""))
        if not _PHONE.match(phone):
            raise ValidationError("请填写正确的联系电话：手机号码为11位数字，固定电话请加区号，"
                                  "例如 0531-87654321。")
        return phone

    def clean_identity_proof(self):
        f = self.cleaned_data.get("identity_proof")
        if f:
            validate_upload(f, allowed=("pdf", "jpg", "png"))
        return f

    def clean(self):
        data = super().clean()
        kind = data.get("applicant_kind")
        if kind == "person":
            if not data.get("name", "").strip():
                self.add_error("name", "请填写姓名。")
            number = "".join((data.get("id_number") or "").split()).upper()
            if not number:
                self.add_error("id_number", "请填写证件号码。")
            elif data.get("id_type") == IdType.ID_CARD and not id_card_valid(number):
                self.add_error("id_number", "居民身份证号码有误，请核对（18位，最后一位可能为X）。")
            data["id_number"] = number
        elif kind == "org":
            if not data.get("org_name", "").strip():
                self.add_error("org_name", "请填写法人或其他组织的名称。")
            code = "".join((data.get("credit_code") or "").split()).upper()
            if not code:
                self.add_error("credit_code", "请填写统一社会信用代码。")
            elif not credit_code_valid(code):
                self.add_error("credit_code", "统一社会信用代码有误，请核对18位代码。")
            data["credit_code"] = code
            if not data.get("org_type"):
                self.add_error("org_type", "请选择机构类型。")
            if not data.get("contact_person", "").strip():
                self.add_error("contact_person", "请填写联系人姓名。")
        delivery = data.get("delivery")
        if delivery == Delivery.EMAIL and not data.get("email"):
            self.add_error("email", "选择电子邮件方式获取信息的，请填写电子邮箱。")
        if delivery == Delivery.POST and not data.get("address", "").strip():
            self.add_error("address", "选择邮寄方式的，请填写通信地址。")
        return data

    def service_data(self) -> dict:
        d = self.cleaned_data
        person = d["applicant_kind"] == "person"
        return {
            "applicant_type": ApplicantType.NATURAL_PERSON if person else d["org_type"],
            "applicant_name": (d["name"] if person else d["org_name"]).strip(),
            "id_type": d["id_type"] if person else "",
            "id_number": d["id_number"] if person else "",
            "credit_code": "" if person else d["credit_code"],
            "contact_person": "" if person else d["contact_person"].strip(),
            "phone": d["phone"].strip(), "email": d["email"], "address": d["address"].strip(),
            "postcode": d["postcode"], "subject": d["subject"].strip(),
            "doc_number": d["doc_number"].strip(), "description": d["description"].strip(),
            "forms_wanted": list(d["forms_wanted"]), "delivery": d["delivery"],
        }


class RegisterForm(ApplicationForm):
    """Staff register a paper, in-person, post, letter or fax application (Art. 31)."""

    channel = forms.ChoiceField(
        label="申请方式", widget=forms.RadioSelect,
        choices=[(c.value, f"{c.label}：{RECEIPT_RULES[c]}") for c in Channel
                 if c != Channel.ONLINE],
        error_messages={"required": "请选择申请方式。"})
    received_date = date_field("收到申请日期", help_text="按上面所选方式的规则确定。")
    consent = forms.BooleanField(label="申请人已签字确认申请内容", required=False)

    def clean_received_date(self):
        d = self.cleaned_data["received_date"]
        if d > timezone.localdate():
            raise ValidationError("收到申请日期不能晚于今天。")
        return d


class TrackForm(ChineseForm):
    number = forms.CharField(label="申请编号", max_length=64,
                             error_messages={"required": "请填写申请编号。"})
    code = forms.CharField(label="查询码", max_length=20,
                           error_messages={"required": "请填写查询码。"},
                           help_text="提交申请后页面上显示的查询码，例如 AB3D-EF7H-JK9M。")


# ---------------------------------------------------------------- staff actions

class ConfirmForm(forms.Form):
    received_date = date_field("确认收到日期（收到申请之日）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_date"].initial = timezone.localdate()


class AssignForm(forms.Form):
    org = forms.ModelChoiceField(label="承办单位", queryset=Organization.objects.none(),
                                 empty_label="请选择",
                                 error_messages={"required": "请选择承办单位。"})
    note = forms.CharField(label="分办说明", required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = addressee_choices()


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=300, error_messages=REQ,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(forms.Form):
    notice_date = date_field("补正通知日期")
    items = forms.CharField(label="需要补正的全部事项（一次性告知）", error_messages=REQ,
                            widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    deadline = date_field("补正期限")


class CorrectedForm(forms.Form):
    date = date_field("收到补正材料日期")


class ConsultForm(forms.Form):
    kind = forms.ChoiceField(label="征求意见类型", choices=[
        (clock.PAUSE_CONSULT_THIRD_PARTY, "征求第三方意见（第三十二条）"),
        (clock.PAUSE_CONSULT_AGENCY, "征求其他机关意见（第三十四条）")],
        widget=forms.RadioSelect, initial=clock.PAUSE_CONSULT_THIRD_PARTY)
    party = forms.CharField(label="被征求意见方", max_length=200, error_messages=REQ)
    sent_date = date_field("书面征求意见日期")


class ConsultEndForm(forms.Form):
    consultation = forms.IntegerField(widget=forms.HiddenInput)
    reply_date = date_field("征询结束日期（收到意见之日或答复期届满之日）")
    opinion = forms.ChoiceField(label="意见", choices=Opinion.choices, widget=forms.RadioSelect,
                                error_messages={"required": "请选择意见。"})
    note = forms.CharField(label="说明", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长工作日数（1-20）", min_value=1, max_value=20,
                              error_messages={"required": "请填写延长的工作日数。",
                                              "invalid": "请输入整数。",
                                              "min_value": "延长期限须为1至20个工作日。",
                                              "max_value": "延长期限须为1至20个工作日。"})
    approved_on = date_field("负责人批准日期")
    reason = forms.CharField(label="延期理由", max_length=500, error_messages=REQ,
                             widget=forms.Textarea(attrs={"rows": 2}))


class FeeForm(ChineseForm):
    method = forms.ChoiceField(label="计费方式", widget=forms.RadioSelect,
                               choices=list(fees.METHODS.items()),
                               error_messages={"required": "请选择计费方式。"})
    pages = forms.IntegerField(label="页数（按量计收；不填则按已添加答复材料的页数）",
                               required=False, min_value=0,
                               error_messages={"invalid": "请输入整数。",
                                               "min_value": "页数不能为负数。"})
    notice_date = date_field("收费通知日期")
    delivery = forms.ChoiceField(
        label="送达方式", widget=forms.RadioSelect, choices=FeeDelivery.choices,
        initial=FeeDelivery.ONLINE, error_messages={"required": "请选择送达方式。"},
        help_text="缴费期限自申请人收到通知的次日起计算；邮寄的，登记签收日期前按邮寄时间估算。")

    def clean(self):
        data = super().clean()
        if data.get("method") == fees.PER_ITEM and data.get("pages") is not None:
            self.add_error("pages", "同一申请只能选择按件或按量一种方式计收，按件计收不填页数。")
        return data


class PaidForm(forms.Form):
    paid_date = date_field("缴费日期")


class AnswerForm(ChineseForm):
    """The answer: its type fixes the result row and the articles cited (letter_texts)."""

    answer_type = forms.ChoiceField(
        label="答复类型及法律依据", choices=[("", "请选择"), *letter_texts.STAFF_CHOICES],
        error_messages={"required": "请选择答复类型。",
                        "invalid_choice": "请从列表中选择答复类型。"},
        help_text="法律依据由答复类型确定，写入答复书，不能删改。")
    where = forms.CharField(label=letter_texts.DETAIL_LABELS["获取途径"], required=False,
                            max_length=300,
                            help_text="已主动公开、公开出版物、行政查询事项时必填；信访投诉类可填写"
                                      "相应渠道。")
    agency = forms.CharField(label=letter_texts.DETAIL_LABELS["负责机关"], required=False,
                             max_length=200,
                             help_text="不属于本机关负责公开、能够确定负责机关时填写。")
    law = forms.CharField(label=letter_texts.DETAIL_LABELS["法律法规"], required=False,
                          max_length=200,
                          help_text="“法律、行政法规禁止公开”和行政查询事项时必填，例如"
                                    "《不动产登记暂行条例》。")
    withheld = forms.CharField(label="不予公开的内容（部分公开时必填）", required=False,
                               max_length=500)
    ground = forms.ChoiceField(
        label="不予公开部分的依据（部分公开时必填）", required=False,
        choices=[("", "请选择"), *[(code, f"{ex.label}（{letter_texts.cite(ex.citations)}）")
                                  for code, ex in letter_texts.EXEMPTIONS.items()]])
    reason = forms.CharField(label="理由（不予公开、部分公开、不属于本机关负责公开等情形必填）",
                             required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    supplement = forms.CharField(label="补充说明（可选，附在答复正文之后）", required=False,
                                 max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    file_title = forms.CharField(label="提供的材料名称（予以公开、部分公开时）", required=False,
                                 max_length=200,
                                 help_text="可在此添加一份材料；多份材料请用上面的“添加答复材料”。")
    upload = forms.FileField(label="材料文件（PDF、Word、Excel、JPG、PNG）", required=False)
    link = forms.URLField(label="或：已公开文件的链接", required=False, max_length=500,
                          assume_scheme="https",
                          error_messages={"invalid": "请输入完整的网址，"
                                                     "例如 https://www.jnhy.gov.cn/…"})
    pages = forms.IntegerField(label="页数（PDF 自动计算；Word、Excel 请填写）", required=False,
                               min_value=1, error_messages={"invalid": "请输入整数。",
                                                            "min_value": "页数须为正整数。"})
    answer_date = date_field("答复日期")

    def clean(self):
        data = super().clean()
        if (data.get("upload") or data.get("link")) and not data.get("file_title", "").strip():
            self.add_error("file_title", "请填写提供的材料名称。")
        if data.get("upload") and data.get("link"):
            self.add_error("link", "请上传一个文件，或填写一个已公开文件的链接（二选一）。")
        return data

    def details(self) -> dict:
        d = self.cleaned_data
        return {"获取途径": d["where"], "负责机关": d["agency"], "法律法规": d["law"],
                "不予公开内容": d["withheld"], "部分公开依据": d["ground"], "理由": d["reason"],
                "补充说明": d["supplement"]}


class AnswerFileForm(ChineseForm):
    """What 予以公开 / 部分公开 provides; listed in the letter and downloadable."""

    title = forms.CharField(label="材料名称", max_length=200, error_messages=REQ)
    upload = forms.FileField(label="文件（PDF、Word、Excel、JPG、PNG）", required=False,
                             error_messages={"invalid": "上传的文件无效，请重新选择。",
                                             "empty": "上传的文件是空的。"})
    link = forms.URLField(label="或：已公开文件的链接", required=False, max_length=500,
                          assume_scheme="https",
                          error_messages={"invalid": "请输入完整的网址，"
                                                     "例如 https://www.jnhy.gov.cn/…"})
    pages = forms.IntegerField(label="页数（PDF 自动计算；Word、Excel 请填写）", required=False,
                               min_value=1, error_messages={"invalid": "请输入整数。",
                                                            "min_value": "页数须为正整数。"})


class RemoveFileForm(forms.Form):
    file_id = forms.IntegerField(widget=forms.HiddenInput)


class FeeDeliveredForm(ChineseForm):
    delivered_date = date_field("收费通知签收日期（邮寄送达）")


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=AppealKind.choices)
    filed_date = date_field("申请（起诉）日期")
    outcome = forms.ChoiceField(label="结果", choices=AppealOutcome.choices,
                                initial=AppealOutcome.PENDING)
    concluded_date = date_field("审结日期", required=False)
    body = forms.CharField(label="复议机关或法院", required=False, max_length=200)


class SuperviseForm(forms.Form):
    text = forms.CharField(label="督办意见", max_length=1000, error_messages=REQ,
                           widget=forms.Textarea(attrs={"rows": 2}))


class QualityForm(forms.Form):
    score = forms.IntegerField(label="得分（0-100）", min_value=0, max_value=100,
                               error_messages={"required": "请填写得分。",
                                               "invalid": "请输入整数。",
                                               "min_value": "得分须在0至100之间。",
                                               "max_value": "得分须在0至100之间。"})
    comment = forms.CharField(label="评查意见", max_length=1000, error_messages=REQ,
                              widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(forms.Form):
    kind = forms.ChoiceField(label="文书类型", choices=[
        c for c in LetterKind.choices if c[0] in letters.EDITABLE_KINDS])
    title = forms.CharField(label="标题", max_length=100, error_messages=REQ)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 14}),
                           error_messages=REQ, max_length=10000)


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[
        ("", "办理中的全部"), ("late", "已超期"), ("soon", "即将到期"), ("submitted", "待确认收到"),
        ("unassigned", "待分办"), ("closed", "已办结")])
    org = forms.ModelChoiceField(label="承办单位", required=False, empty_label="全部单位",
                                 queryset=Organization.objects.none())
    q = forms.CharField(label="申请编号或信息名称", required=False, max_length=100)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Organization.objects.none()


def today() -> dt.date:
    return timezone.localdate()
