from django import forms

from gongkai.reports import tables as T

_TEXT = {"rows": 10}


class ReportForm(forms.Form):
    overview = forms.CharField(label="一、总体情况", required=False, max_length=20000,
                               widget=forms.Textarea(attrs=_TEXT),
                               help_text="已根据本年度的业务记录预填数据，请补充完善。")
    licensing = forms.CharField(label="行政许可 本年处理决定数量（件）", required=False,
                                max_length=12, widget=forms.TextInput(
                                    attrs={"inputmode": "numeric"}))
    punishment = forms.CharField(label="行政处罚 本年处理决定数量（件）", required=False,
                                 max_length=12, widget=forms.TextInput(
                                     attrs={"inputmode": "numeric"}))
    enforcement = forms.CharField(label="行政强制 本年处理决定数量（件）", required=False,
                                  max_length=12, widget=forms.TextInput(
                                      attrs={"inputmode": "numeric"}))
    fees = forms.CharField(label="行政事业性收费 本年收费金额（万元）", required=False,
                           max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                           help_text="以万元为单位，最多四位小数，例如 12.5 表示十二万五千元。")
    problems = forms.CharField(label="五、存在的主要问题及改进情况", required=False,
                               max_length=20000, widget=forms.Textarea(attrs=_TEXT))
    other = forms.CharField(label="六、其他需要报告的事项", required=False, max_length=20000,
                            widget=forms.Textarea(attrs=_TEXT),
                            help_text="已预填本年度收取的信息处理费。")
    carry_note = forms.CharField(label="上年结转差异说明", required=False, max_length=5000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="仅当本年“上年结转”与上年度报告的“结转下年度”不一致时填写。")

    def _count(self, name: str, label: str) -> int:
        try:
            return T.parse_count(self.cleaned_data.get(name, ""), label)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_licensing(self):
        return self._count("licensing", "行政许可")

    def clean_punishment(self):
        return self._count("punishment", "行政处罚")

    def clean_enforcement(self):
        return self._count("enforcement", "行政强制")

    def clean_fees(self):
        try:
            return T.parse_fees(self.cleaned_data.get("fees", ""))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "请填写理由。"})
