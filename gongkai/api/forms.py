"""Workbench forms of 数据开放."""

from __future__ import annotations

from django import forms

from gongkai.api.dataset_schema import MASKS, MAX_FIELDS, TYPES


class FieldForm(forms.Form):
    label = forms.CharField(label="字段名称（Excel 表头）", max_length=50, required=False,
                            error_messages={"max_length": "字段名称不能超过50字。"})
    name = forms.CharField(label="字段代码", max_length=40, required=False,
                           help_text="小写字母开头，只含小写字母、数字和下划线",
                           error_messages={"max_length": "字段代码不能超过40个字符。"})
    type = forms.ChoiceField(label="类型", choices=list(TYPES.items()), initial="text",
                             error_messages={"invalid_choice": "请选择类型。"})
    required = forms.BooleanField(label="必填", required=False)
    mask = forms.ChoiceField(label="发布前遮盖", choices=list(MASKS.items()), required=False,
                             error_messages={"invalid_choice": "请选择遮盖规则。"})

    def clean(self):
        data = super().clean()
        # A row left empty (the spare rows at the end) is not a field.
        if not (data.get("label") or "").strip() and not (data.get("name") or "").strip():
            data["DELETE"] = True
        return data


class BaseFieldFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # One table row per field: each input says which row and column it is.
        row = "新字段" if index is None else f"第{index + 1}行"
        names = {"ORDER": "顺序", "DELETE": "删除"}
        for name, field in form.fields.items():
            field.widget.attrs["aria-label"] = f"{row} {names.get(name, field.label)}"

    def ordered_forms_or_forms(self):
        return sorted(self.forms, key=lambda f: f.cleaned_data.get("ORDER") or 10**6)


def field_formset():
    return forms.formset_factory(FieldForm, formset=BaseFieldFormSet, extra=3,
                                 can_delete=True, can_order=True, max_num=MAX_FIELDS,
                                 validate_max=True, absolute_max=MAX_FIELDS + 3)


class ChartForm(forms.Form):
    label = forms.ChoiceField(label="图表分类字段", required=False)
    value = forms.ChoiceField(label="图表数值字段", required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", "（不画图）"), *choices]
        if self.data:  # fields being added in this same form may be chosen too
            prefix = "f-"
            options += [(v, v) for k, v in self.data.items()
                        if k.startswith(prefix) and k.endswith("-name") and v]
        self.fields["label"].choices = self.fields["value"].choices = list(dict(options).items())
