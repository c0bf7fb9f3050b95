"""Forms of 政民互动. Every form validates on the server with Chinese messages."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.models import Organization, OrgKind
from gongkai.core.uploads import validate_upload
from gongkai.interaction import categories
from gongkai.interaction.models import Consent, EventKind, Kind, Rating
from gongkai.interaction.services.messages import MAX_BODY, MAX_SUBJECT

REQ = {"required": "此项为必填项。"}
MAX_ATTACHMENT = 10 * 1024 * 1024


def unit_choices():
    return Organization.objects.filter(
        is_active=True, kind__in=[OrgKind.OFFICE, OrgKind.DEPARTMENT, OrgKind.SUBDISTRICT])


class MessageForm(forms.Form):
    kind = forms.ChoiceField(label="来信类型", choices=Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": "请选择来信类型。"})
    subject = forms.CharField(label="主题", max_length=MAX_SUBJECT, error_messages={
        "required": "请填写主题。", "max_length": f"主题不能超过{MAX_SUBJECT}字。"})
    body = forms.CharField(label="来信内容", max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写来信内容。",
                                           "max_length": f"来信内容不能超过{MAX_BODY}字。"})
    name = forms.CharField(label="姓名", max_length=50, error_messages={
        "required": "请填写姓名，以便答复。", "max_length": "姓名不能超过50字。"})
    phone = forms.CharField(label="联系电话", max_length=30, required=False,
                            help_text="联系电话和电子邮箱至少填写一项。")
    email = forms.EmailField(label="电子邮箱", max_length=100, required=False,
                             error_messages={"invalid": "请输入有效的电子邮箱地址。"})
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    attachment = forms.FileField(label="附件（可选）", required=False,
                                 help_text="PDF、Word、图片，最大10MB。")
    consent = forms.ChoiceField(label="是否同意公开来信和答复", choices=Consent.choices,
                                widget=forms.RadioSelect, initial=Consent.NONE,
                                error_messages={"required": "请选择是否同意公开。"},
                                help_text="公开前会隐去电话、身份证号等个人信息。")
    # Honeypot: hidden from people (CSS and aria-hidden); bots fill every field.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def clean_phone(self):
        phone = "".join(self.cleaned_data.get("phone", "").split())
        if phone and not phone.replace("-", "").isdigit():
            raise ValidationError("联系电话只能包含数字和“-”。")
        return phone

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload, ("pdf", "docx", "png", "jpg"), MAX_ATTACHMENT)
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors \
                and "email" not in self.errors:
            self.add_error("phone", "请至少填写联系电话或电子邮箱中的一项，以便答复。")
        return data


class TrackForm(forms.Form):
    number = forms.CharField(label="信件编号", max_length=32, error_messages=REQ)
    code = forms.CharField(label="查询码", max_length=32, error_messages=REQ)


class RateForm(TrackForm):
    rating = forms.ChoiceField(label="您对答复的评价", choices=Rating.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": "请选择评价。"})
    note = forms.CharField(label="意见（可选）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RouteForm(forms.Form):
    org = forms.ModelChoiceField(label="主办单位", queryset=unit_choices(),
                                 error_messages={"required": "请选择主办单位。",
                                                 "invalid_choice": "请选择有效的单位。"})
    co_orgs = forms.ModelMultipleChoiceField(label="协办单位（可多选）",
                                             queryset=unit_choices(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = unit_choices()
        self.fields["co_orgs"].queryset = unit_choices()


class NoteForm(forms.Form):
    note = forms.CharField(label="理由", max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "请填写理由。"})


class MergeForm(forms.Form):
    into = forms.CharField(label="合并至信件编号", max_length=32, error_messages=REQ)


class ReplyForm(forms.Form):
    text = forms.CharField(label="答复内容", max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": "请填写答复内容。"})
    outstanding_note = forms.CharField(
        label="协办意见未齐仍提交审核的理由", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="仅在协办单位尚未提交意见时填写，例如：协办单位已电话告知无补充意见。")


class CoPartForm(forms.Form):
    text = forms.CharField(label="本单位协办意见", max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": "请填写协办意见。",
                                           "max_length": "协办意见不能超过5000字。"})
    attachment = forms.FileField(label="附件（可选）", required=False,
                                 help_text="PDF、Word、图片，最大10MB。")
    remove_attachment = forms.BooleanField(label="删除已上传的附件", required=False)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            validate_upload(upload, ("pdf", "docx", "png", "jpg"), MAX_ATTACHMENT)
        return upload


class CoReviewForm(forms.Form):
    revision = forms.CharField(widget=forms.HiddenInput, max_length=64)
    decision = forms.ChoiceField(label="审核意见", choices=[("approve", "审核通过，提交主办单位"),
                                                           ("return", "退回修改")],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "请选择审核意见。"})
    reason = forms.CharField(label="退回理由", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(forms.Form):
    revision = forms.CharField(widget=forms.HiddenInput, max_length=64)
    decision = forms.ChoiceField(label="审核意见", choices=[("approve", "审核通过并发出"),
                                                           ("return", "退回修改")],
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "请选择审核意见。"})
    reason = forms.CharField(label="退回理由", max_length=500, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    privacy_reason = forms.CharField(label="确需公开个人信息的理由（如有）", max_length=500,
                                     required=False)


class QAForm(forms.Form):
    question = forms.CharField(label="问题", max_length=300, error_messages=REQ)
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 6}),
                             error_messages=REQ)
    basis = forms.CharField(label="政策依据", max_length=500, required=False)
    valid_until = forms.DateField(label="有效期至", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}),
                                  error_messages={"invalid": "请输入有效日期，例如 2027-12-31。"})


MAX_HOTLINE_BYTES = 5 * 1024 * 1024


class HotlineImportForm(forms.Form):
    file = forms.FileField(label="12345工单文件（JSON Lines 或 CSV，UTF-8）",
                           help_text="扩展名 .jsonl 或 .csv；字段说明见本页下方，最大5MB。",
                           error_messages={"required": "请选择工单文件。",
                                           "empty": "上传的文件是空的，请重新选择。"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".jsonl", ".json", ".csv")):
            raise ValidationError("只接受 .jsonl 或 .csv 文件。")
        if upload.size == 0:
            raise ValidationError("上传的文件是空的，请重新选择。")
        if upload.size > MAX_HOTLINE_BYTES:
            raise ValidationError("文件过大：最大 5 MB，请分批导入。")
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError("文件不是UTF-8编码，请另存为UTF-8后再导入。") from exc
        if "\x00" in text:
            raise ValidationError("文件内容不是文本，请检查是否选错了文件。")
        return {"text": text, "format": "csv" if name.endswith(".csv") else "jsonl"}


class ProposalImportForm(forms.Form):
    file = forms.FileField(label="建议提案清单（XLSX）",
                           help_text="表头：类别、年度、编号、标题、代表/委员、公开姓名、主办单位、协办单位、交办日期；"
                           "可选：答复类别（按本地分类方案）",
                           error_messages={"required": "请选择XLSX文件。"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(upload, ("xlsx",))
        return upload


class ProposalAnswerForm(forms.Form):
    category = forms.ChoiceField(label="答复类别", choices=categories.choices,
                                 widget=forms.RadioSelect,
                                 error_messages={"required": "请选择答复类别。",
                                                 "invalid_choice": "答复类别不在本地分类方案中。"})
    reply_text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 8}),
                                 error_messages=REQ)
    publish_full = forms.BooleanField(label="公开答复全文", required=False, initial=True)


class RegisterForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages=REQ)
    phone = forms.CharField(label="联系电话", max_length=30, error_messages=REQ)
    website = forms.CharField(label="网址（请勿填写）", required=False)


class QuestionForm(forms.Form):
    text = forms.CharField(label="您的问题", max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "请填写问题。",
                                           "max_length": "问题不能超过500字。"})
    website = forms.CharField(label="网址（请勿填写）", required=False)


class EventForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=EventKind.choices, error_messages=REQ)
    title = forms.CharField(label="标题", max_length=200, error_messages=REQ)
    starts_at = forms.DateTimeField(label="时间", error_messages={
        "required": "请填写时间。", "invalid": "请输入有效时间，例如 2026-12-20 09:30。"},
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    location = forms.CharField(label="地点", max_length=200, required=False)
    guests = forms.CharField(label="嘉宾", max_length=500, required=False)
    capacity = forms.IntegerField(label="报名名额（0为不报名）", min_value=0, max_value=100000,
                                  initial=0, error_messages={"invalid": "请输入数字。"})
    description = forms.CharField(label="简介", widget=forms.Textarea(attrs={"rows": 4}),
                                  required=False)
