from django import forms

from gongkai.core.models import Organization


class CalendarMarkForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": "请输入有效日期，格式为 年-月-日。",
                                           "required": "请填写日期。"})
    kind = forms.ChoiceField(label="类型", choices=[("holiday", "休息日（法定节假日）"),
                                                   ("workday", "工作日（调休上班）")])
    name = forms.CharField(label="名称", max_length=100, required=False,
                           help_text="例如：春节、国庆节调休。")


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100,
                              error_messages={"invalid": "请输入四位年份。"})
    source = forms.CharField(label="依据", max_length=200,
                             help_text="例如：国务院办公厅关于2027年部分节假日安排的通知。")


class NoticeImportForm(forms.Form):
    text = forms.CharField(
        label="通知全文", max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        help_text="粘贴“国务院办公厅关于YYYY年部分节假日安排的通知”全文（全角或半角标点均可）。",
        error_messages={"required": "请粘贴通知全文。",
                        "max_length": "内容过长（最多 %(limit_value)d 字），请只粘贴通知全文。"})


class AuditFilterForm(forms.Form):
    org = forms.ModelChoiceField(label="单位", queryset=Organization.objects.all(), required=False,
                                 empty_label="全部单位")
    actor = forms.CharField(label="操作人", required=False, max_length=100)
    action = forms.CharField(label="操作", required=False, max_length=64)
    target = forms.CharField(label="对象", required=False, max_length=100)
    since = forms.DateField(label="起始日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="截止日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
