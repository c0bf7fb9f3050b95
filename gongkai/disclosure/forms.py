"""Forms: parse and validate input; the services decide."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone

from gongkai.core.models import Organization
from gongkai.disclosure.models import (
    GENRES,
    TOPICS,
    Attribute,
    AttributeReason,
    DirectoryNode,
    DocType,
    Document,
    Interpretation,
    InterpretationKind,
    Validity,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DocumentForm(forms.ModelForm):
    genre = forms.ChoiceField(label="体裁", choices=[(g, g) for g in GENRES], initial="通知")
    topic = forms.ChoiceField(label="主题分类", choices=[("", "—— 请选择 ——")]
                              + [(t, t) for t in TOPICS], required=False)
    note = forms.CharField(label="更正说明", required=False, max_length=500,
                           help_text="修改已发布的文件时必填，将在公开页面的更正记录中显示。")

    class Meta:
        model = Document
        fields = ["title", "doc_number", "issuer", "written_date", "node", "topic", "genre",
                  "summary", "attribute", "attribute_reason", "doc_type", "is_important",
                  "registration_number", "validity", "effective_date", "expiry_date",
                  "repealed_date", "keywords", "body", "co_issuers", "related", "amends",
                  "replaces"]
        widgets = {
            "written_date": DATE, "effective_date": DATE, "expiry_date": DATE,
            "repealed_date": DATE, "body": forms.Textarea(attrs={"rows": 14}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "doc_number": "如 槐政办字〔2021〕4号；[2021]、(2021)、【2021】等写法会自动规范。",
            "body": "可粘贴带格式的正文；不安全的代码会被自动清除。",
            "attribute_reason": "选择依申请公开或不予公开时必填（条例第十四至十六条）。",
            "validity": "规章和行政规范性文件必填，默认“有效”。",
            "related": "按住 Ctrl 可多选。",
        }

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.org = org
        self.fields["node"].queryset = DirectoryNode.objects.filter(
            org=org, is_active=True).select_related("parent__parent__parent")
        self.fields["node"].label_from_instance = lambda n: " / ".join(
            x.name for x in n.path())
        self.fields["co_issuers"].queryset = Organization.objects.exclude(pk=org.pk).filter(
            is_active=True)
        # Links stay within the unit's own published documents (keeps the lists short).
        others = Document.objects.public().filter(org=org)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        for name in ("related", "amends", "replaces"):
            self.fields[name].queryset = others
            self.fields[name].required = False
        self.fields["attribute_reason"].choices = [("", "—— 不适用 ——")] + list(
            AttributeReason.choices)
        self.fields["validity"].choices = list(Validity.choices)
        self.fields["written_date"].required = True
        self.fields["written_date"].help_text = "公开时限从成文日期起算。"

    def clean_written_date(self):
        value = self.cleaned_data["written_date"]
        if value and value > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError("成文日期不能晚于明年。")
        return value

    def clean(self):
        data = super().clean()
        if data.get("attribute") and data["attribute"] != Attribute.PUBLIC and not data.get(
                "attribute_reason"):
            self.add_error("attribute_reason", "依申请公开或不予公开须选择法定依据。")
        if data.get("doc_type") in (DocType.REGULATION, DocType.NORMATIVE) and not data.get(
                "validity"):
            data["validity"] = Validity.VALID
        eff, exp = data.get("effective_date"), data.get("expiry_date")
        if eff and exp and exp < eff:
            self.add_error("expiry_date", "有效期至不能早于施行日期。")
        return data

    def service_fields(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in (
            "title", "doc_number", "issuer", "written_date", "node", "topic", "genre", "summary",
            "attribute", "attribute_reason", "doc_type", "is_important", "registration_number",
            "validity", "effective_date", "expiry_date", "repealed_date", "keywords", "body")}


class UnitChoiceForm(forms.Form):
    org = forms.ModelChoiceField(label="发布机构", queryset=Organization.objects.none())

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件（PDF、DOCX、XLSX、PNG、JPG）")
    name = forms.CharField(label="附件名称（可不填）", required=False, max_length=200)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    with_interpretations = forms.ModelMultipleChoiceField(
        label="同步发布以下政策解读", queryset=Interpretation.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple)
    sync_reason = forms.CharField(label="暂不同步解读的理由", required=False, max_length=500,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    privacy_reason = forms.CharField(label="个人信息确需公开的理由", required=False,
                                     max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    at = forms.DateTimeField(label="定时发布（可不填，立即发布）", required=False,
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                             input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    # 先审后发: the content hashes of the document and of each offered interpretation as
    # the page showed them; the service refuses if the text changed before the click.
    revision = forms.CharField(label="审阅版本", widget=forms.HiddenInput, max_length=64,
                               error_messages={"required": "缺少审阅版本，请重新打开审核页面。"})
    interpretation_revisions = forms.CharField(label="解读审阅版本", widget=forms.HiddenInput,
                                               required=False,
                                               max_length=2000)

    def __init__(self, *args, document: Document, revisions: dict | None = None, **kwargs):
        """``revisions``: the current hashes, {"document": hash, pk: hash, ...}."""
        super().__init__(*args, **kwargs)
        self.fields["with_interpretations"].queryset = document.interpretations.exclude(
            status="published")
        if revisions:
            self.fields["revision"].initial = revisions["document"]
            self.fields["interpretation_revisions"].initial = ",".join(
                f"{pk}:{h}" for pk, h in revisions.items() if pk != "document")

    def clean_interpretation_revisions(self) -> dict[int, str]:
        out = {}
        for part in (self.cleaned_data.get("interpretation_revisions") or "").split(","):
            pk, _, digest = part.partition(":")
            if pk.strip().isdigit() and digest.strip():
                out[int(pk)] = digest.strip()
        return out

    def clean_at(self):
        at = self.cleaned_data.get("at")
        if at and at <= timezone.now():
            raise forms.ValidationError("定时发布时间须晚于当前时间。")
        return at


class InterpretationForm(forms.ModelForm):
    media_url = forms.URLField(label="音视频/图解链接", required=False, assume_scheme="https")

    class Meta:
        model = Interpretation
        fields = ["title", "kind", "documents", "media_url", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}
        help_texts = {"documents": "选择本解读所解读的文件（可多选）。"}

    def __init__(self, *args, documents_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = documents_qs
        self.fields["kind"].choices = list(InterpretationKind.choices)


class NodeForm(forms.ModelForm):
    class Meta:
        model = DirectoryNode
        fields = ["name", "code", "parent", "kind", "time_limit_wd", "description",
                  "sort_order", "is_active"]

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        qs = DirectoryNode.objects.filter(org=org).select_related("org")
        if self.instance.pk:
            qs = qs.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = qs
        self.fields["parent"].required = False
        self.fields["time_limit_wd"].min_value = 1
        self.fields["time_limit_wd"].max_value = 20


class GazetteForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100)
    number = forms.IntegerField(label="期号", min_value=1, max_value=99)
    title = forms.CharField(label="标题（可不填）", required=False, max_length=200)
    published_on = forms.DateField(label="出版日期", required=False, widget=DATE)
    documents = forms.ModelMultipleChoiceField(label="刊载文件",
                                               queryset=Document.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = Document.objects.public().filter(
            doc_type__in=[DocType.REGULATION, DocType.NORMATIVE, DocType.POLICY])


YEAR_CHOICES = [("", "全部年份")] + [(str(y), f"{y}年") for y in range(
    timezone.localdate().year, 1999, -1)]


class DocumentFilterForm(forms.Form):
    org = forms.ModelChoiceField(label="发布机构", required=False, empty_label="全部单位",
                                 queryset=Organization.objects.filter(is_active=True))
    year = forms.ChoiceField(label="年份", required=False, choices=YEAR_CHOICES)
    topic = forms.ChoiceField(label="主题分类", required=False,
                              choices=[("", "全部主题")] + [(t, t) for t in TOPICS])
    validity = forms.ChoiceField(label="有效性", required=False, choices=[("", "全部")] + [
        c for c in Validity.choices if c[0]])
    doc_type = forms.ChoiceField(label="文件类型", required=False,
                                 choices=[("", "全部类型")] + list(DocType.choices))
    node = forms.ChoiceField(label="公开目录栏目", required=False)
    doc_number = forms.CharField(label="文号", required=False, max_length=100)
    q = forms.CharField(label="标题关键词", required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The standard 公开目录 is the same in every unit, so one list serves all units;
        # with a unit chosen it narrows to that unit's node.
        from gongkai.disclosure.directory import flatten

        depth: dict[str | None, int] = {None: -1}
        choices = [("", "全部栏目")]
        for code, name, kind, _limit, parent, _order in flatten():
            depth[code] = depth.get(parent, -1) + 1
            if kind in ("documents", "domain"):
                choices.append((code, "　" * max(depth[code] - 1, 0) + name))
        self.fields["node"].choices = choices
