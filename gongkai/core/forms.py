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
