from __future__ import annotations

from django import forms

from gongkai.participation.models import (
    PROCEDURES,
    Channel,
    Disposition,
    Opinion,
    QuestionKind,
    StageKind,
)
from gongkai.participation.services.opinions import MAX_BODY


def _nul(value: str) -> str:
    return (value or "").replace("\x00", "")


class CommentForm(forms.Form):
    body = forms.CharField(label="您的意见", max_length=MAX_BODY,
                           widget=forms.Textarea(attrs={"rows": 5}),
                           error_messages={"required": "请填写意见内容。",
                                           "max_length": f"意见内容不能超过{MAX_BODY}字。"})
    name = forms.CharField(label="姓名（选填）", max_length=50, required=False)
    contact = forms.CharField(label="联系方式（选填）", max_length=100, required=False,
                              help_text="电话或电子邮箱，仅用于告知您意见的采纳情况，不会公开。")
    publish_name = forms.BooleanField(label="同意在采纳情况中公开我的姓名", required=False)
    # Honeypot: hidden from people (CSS and aria-hidden), filled in by bots.
    website = forms.CharField(required=False, label="网址（请勿填写）", widget=forms.TextInput(
        attrs={"tabindex": "-1", "autocomplete": "off"}))

    def clean_body(self):
        return _nul(self.cleaned_data["body"]).strip()

    def clean_name(self):
        return _nul(self.cleaned_data["name"]).strip()

    def clean_contact(self):
        return _nul(self.cleaned_data["contact"]).strip()


class LookupForm(forms.Form):
    code = forms.CharField(label="意见查询码", max_length=30,
                           error_messages={"required": "请输入提交意见时获得的查询码。"})


class ConsultationForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    draft_text = forms.CharField(label="草案正文", required=False, max_length=200_000,
                                 widget=forms.Textarea(attrs={"rows": 16}),
                                 help_text="按“第一章”“第一条”分行粘贴，系统自动拆分章、条、款。")
    draft_file = forms.FileField(label="或上传草案（DOCX）", required=False)
    explanation = forms.CharField(label="起草说明（制订背景）", required=False,
                                  max_length=50_000, widget=forms.Textarea(attrs={"rows": 6}))
    starts_at = forms.DateTimeField(label="开始时间", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    ends_at = forms.DateTimeField(label="截止时间", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="北京时间；到此时刻停止接收意见。")
    short_period_reason = forms.CharField(label="期限少于30日的理由", required=False,
                                          max_length=500)
    contact = forms.CharField(label="意见反馈渠道", required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text="通信地址、电子邮箱、电话等。")
    decision = forms.ModelChoiceField(label="重大行政决策事项", queryset=None, required=False,
                                      empty_label="（非重大行政决策）")

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.participation.models import Decision

        self.fields["decision"].queryset = decisions if decisions is not None else \
            Decision.objects.none()

    def clean(self):
        data = super().clean()
        upload = data.get("draft_file")
        if upload:
            if not upload.name.lower().endswith(".docx") or upload.size > 10 * 1024 * 1024:
                raise forms.ValidationError("草案文件须为不超过10MB的DOCX文件。")
            from gongkai.participation.articles import docx_text

            try:
                data["draft_text"] = docx_text(upload.read())
            except Exception:
                raise forms.ValidationError("无法读取上传的DOCX文件，请检查文件。") from None
        if not (data.get("draft_text") or "").strip():
            raise forms.ValidationError("请粘贴草案正文或上传DOCX文件。")
        return data


class OpinionEntryForm(forms.Form):
    channel = forms.ChoiceField(label="渠道", choices=[
        c for c in Channel.choices if c[0] != Channel.ONLINE])
    received_at = forms.DateTimeField(label="收到时间", widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    article = forms.ChoiceField(label="针对条款", required=False)
    body = forms.CharField(label="意见内容", max_length=MAX_BODY, widget=forms.Textarea)
    name = forms.CharField(label="姓名或单位", max_length=50, required=False)
    contact = forms.CharField(label="联系方式", max_length=100, required=False)
    publish_name = forms.BooleanField(label="本人同意公开姓名", required=False)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "针对全文")] + [(str(a.pk), a.label)
                                                             for a in articles]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=300)
    options = forms.CharField(label="选项（每行一个，选择题填写）", required=False,
                              max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    required = forms.BooleanField(label="必答", required=False)


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label="处理结果", choices=Disposition.choices)
    reason = forms.CharField(label="理由（将公开）", required=False, max_length=3000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class GroupForm(forms.Form):
    title = forms.CharField(label="归类名称", max_length=200)
    concentrated = forms.BooleanField(label="较为集中的意见", required=False)


class HideForm(forms.Form):
    reason = forms.ChoiceField(label="隐藏理由", choices=list(Opinion.HIDE_REASONS.items()))
    note = forms.CharField(label="说明", max_length=300, required=False)


class ReportForm(forms.Form):
    summary = forms.CharField(label="总体情况", max_length=20_000, required=False,
                              widget=forms.Textarea(attrs={"rows": 6}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="退回理由", max_length=500)


class PeriodChangeForm(forms.Form):
    kind = forms.ChoiceField(label="变更类型", choices=[
        ("extend", "延长征求意见期"), ("withdraw", "撤回征求意见")])
    new_ends_at = forms.DateTimeField(label="延长至（仅延长时填写）", required=False,
                                      widget=forms.DateTimeInput(
                                          attrs={"type": "datetime-local"},
                                          format="%Y-%m-%dT%H:%M"),
                                      help_text="北京时间，须晚于原截止时间。",
                                      error_messages={"invalid": "请填写正确的日期和时间。"})
    reason = forms.CharField(label="理由（将在征求意见页面公开）", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "请填写理由。"})


class FinalTextForm(forms.Form):
    final_text = forms.CharField(label="最终通过文本", max_length=200_000,
                                 widget=forms.Textarea(attrs={"rows": 12}))
    final_url = forms.CharField(label="决策结果链接", max_length=500, required=False)


class CatalogForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class ItemForm(forms.Form):
    title = forms.CharField(label="决策事项名称", max_length=200)
    undertaker = forms.CharField(label="承办单位", max_length=100)
    basis = forms.CharField(label="决策依据", max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    planned = forms.CharField(label="计划完成时间", max_length=50, required=False)
    procedures = forms.MultipleChoiceField(label="适用程序", choices=PROCEDURES, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label="调整理由（目录已发布时必填）", max_length=2000,
                             required=False)


class StageForm(forms.Form):
    kind = forms.ChoiceField(label="环节", choices=StageKind.choices)
    title = forms.CharField(label="标题", max_length=200, required=False)
    date = forms.DateField(label="日期", required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))
    summary = forms.CharField(label="情况说明", max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    ref = forms.CharField(label="关联本平台文件或政策解读", required=False, max_length=30,
                          widget=forms.RadioSelect,
                          help_text="先在上方按索引号、文号或标题检索，再选择一项。")
    url = forms.CharField(label="或外部链接", max_length=500, required=False,
                          help_text="本平台以外的政府网站地址（http(s)://）；本平台的文件请检索选择。")
    consultation = forms.ModelChoiceField(label="关联征求意见", queryset=None, required=False)
    attendees = forms.CharField(label="列席人员及其意见", max_length=5000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    attendee_uptake = forms.CharField(label="列席意见采纳情况", max_length=5000, required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    skipped_reason = forms.CharField(label="未开展的理由（跳过此环节时填写）", max_length=500,
                                     required=False)

    def __init__(self, *args, consultations=None, picks=(), **kwargs):
        super().__init__(*args, **kwargs)
        from gongkai.participation.models import Consultation

        self.fields["ref"].widget.choices = [("", "不关联")] + [
            (r.key, f"{r.title}（{r.detail}）" if r.detail else r.title) for r in picks]
        if not picks:
            self.fields["ref"].widget = forms.HiddenInput()

        self.fields["consultation"].queryset = consultations if consultations is not None \
            else Consultation.objects.none()
