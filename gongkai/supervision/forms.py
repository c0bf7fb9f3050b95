from __future__ import annotations

from django import forms

from gongkai.core.models import Organization
from gongkai.supervision.models import TrainingAudience, TrainingLevel, WordKind

MAX_PLAN_BYTES = 5 * 1024 * 1024


class PlanImportForm(forms.Form):
    file = forms.FileField(label="工作要点文件（TXT 或 DOCX）", required=False)
    text = forms.CharField(label="或粘贴全文", widget=forms.Textarea(attrs={"rows": 6}),
                           required=False, max_length=500_000)
    year = forms.IntegerField(label="年度（文件中无法识别时填写）", required=False,
                              min_value=2000, max_value=2100)

    def clean(self):
        data = super().clean()
        f = data.get("file")
        if f is None and not (data.get("text") or "").strip():
            raise forms.ValidationError("请上传文件或粘贴工作要点全文。")
        if f is not None:
            if f.size > MAX_PLAN_BYTES:
                raise forms.ValidationError("文件超过 5 MB。")
            if not f.name.lower().endswith((".txt", ".docx")):
                raise forms.ValidationError("只支持 TXT 或 DOCX 文件。")
        return data


class AliasForm(forms.Form):
    """An unmatched name → a unit, or ``org=ignore``: not a unit of this platform."""

    IGNORE = "ignore"
    name = forms.CharField(max_length=100)
    org = forms.CharField(label="对应单位", max_length=20)

    @property
    def units(self):
        return Organization.objects.filter(is_active=True)

    def clean_org(self):
        value = self.cleaned_data["org"]
        if value == self.IGNORE:
            return None
        try:
            return self.units.get(pk=int(value))
        except (ValueError, Organization.DoesNotExist):
            raise forms.ValidationError("请选择对应单位。") from None


class ProgressForm(forms.Form):
    text = forms.CharField(label="工作进展", widget=forms.Textarea(attrs={"rows": 5}),
                           max_length=5000)
    evidence = forms.CharField(label="佐证链接（每行一个本单位已公开信息的链接）",
                               widget=forms.Textarea(attrs={"rows": 3}), required=False,
                               max_length=5000)
    attachment = forms.FileField(label="佐证材料（PDF、DOCX、XLSX、图片）", required=False)
    done = forms.BooleanField(label="本任务已完成", required=False)


class NoticeForm(forms.Form):
    org = forms.ModelChoiceField(queryset=Organization.objects.filter(is_active=True),
                                 label="单位")
    text = forms.CharField(label="督查事项", widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=2000)
    due = forms.DateField(label="办理期限", widget=forms.DateInput(attrs={"type": "date"}))


class CarryOverForm(forms.Form):
    source = forms.IntegerField(widget=forms.HiddenInput)
    rectify_by = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=5000)


class WordForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=WordKind.choices)
    wrong = forms.CharField(label="错误写法", max_length=100)
    right = forms.CharField(label="正确写法", max_length=100, required=False)


class EvaluationForm(forms.Form):
    title = forms.CharField(label="评估名称", max_length=100)
    start = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    third_party = forms.CharField(
        label="第三方评估得分（每行「单位名称 分数」，可空）", required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)

    special_review = forms.CharField(
        label="专项评议得分（每行「单位名称 分数」，可空）", required=False,
        widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)

    def clean_third_party(self):
        return self._scores("third_party", "manual.third_party")

    def clean_special_review(self):
        return self._scores("special_review", "manual.special_review")

    def _scores(self, field: str, key: str) -> dict:
        out, errors = {}, []
        names = {o.name: o.pk for o in Organization.objects.all()}
        names.update({o.short_name: o.pk for o in Organization.objects.all() if o.short_name})
        for i, line in enumerate((self.cleaned_data.get(field) or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = line.split()
            try:
                value = float(parts[-1])
            except (ValueError, IndexError):
                errors.append(f"第{i}行没有分数。")
                continue
            name = " ".join(parts[:-1])
            if name not in names:
                errors.append(f"第{i}行单位「{name[:30]}」不存在。")
            elif not 0 <= value <= 100:
                errors.append(f"第{i}行分数须在 0 到 100 之间。")
            else:
                out[names[name]] = {key: value}
        if errors:
            raise forms.ValidationError(errors)
        return out

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError("截止日期不能早于起始日期。")
        return data


class BulletinDraftForm(forms.Form):
    rectify_by = forms.DateField(label="整改期限", widget=forms.DateInput(attrs={"type": "date"}))
    number = forms.CharField(label="文号", max_length=100, required=False)


class BulletinEditForm(forms.Form):
    number = forms.CharField(label="文号", max_length=100, required=False)
    title = forms.CharField(label="标题", max_length=200)
    body = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 16}),
                           max_length=50000)


class TrainingForm(forms.Form):
    title = forms.CharField(label="培训主题", max_length=200)
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    level = forms.ChoiceField(label="层级", choices=TrainingLevel.choices)
    audience = forms.MultipleChoiceField(label="培训对象", choices=TrainingAudience.choices,
                                         widget=forms.CheckboxSelectMultiple)
    materials = forms.CharField(label="培训材料说明", widget=forms.Textarea(attrs={"rows": 2}),
                                required=False, max_length=5000)
    material_file = forms.FileField(label="上传培训材料（PDF、DOCX、XLSX、图片）", required=False)
    material_links = forms.CharField(
        label="培训材料链接（每行一个：名称 链接）", widget=forms.Textarea(attrs={"rows": 2}),
        required=False, max_length=5000)
    orgs = forms.ModelMultipleChoiceField(
        label="参训单位", queryset=Organization.objects.filter(is_active=True), required=False,
        widget=forms.CheckboxSelectMultiple)


class CatalogImportForm(forms.Form):
    level = forms.ChoiceField(label="目录类别", choices=[("26", "国家标准目录（26个领域）"),
                                                     ("1", "区级特色目录（+1）"),
                                                     ("n", "本单位目录（n）")])
    file = forms.FileField(label=(
        "目录文件（XLSX 或 CSV，表头含：领域、一级事项、二级事项、公开内容、公开依据、公开时限、"
        "公开主体、公开渠道和载体、公开对象、公开方式、公开层级、栏目地址）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError("文件超过 5 MB。")
        if not f.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError("只支持 XLSX 或 CSV 文件。")
        return f


class CatalogEntryForm(forms.Form):
    level = forms.ChoiceField(label="目录类别", choices=[("1", "区级特色目录（+1）"),
                                                     ("n", "本单位目录（n）")], required=False)
    domain = forms.CharField(label="领域", max_length=100)
    item1 = forms.CharField(label="一级事项", max_length=200)
    item2 = forms.CharField(label="二级事项", max_length=200, required=False)
    content = forms.CharField(label="公开内容（要素）", widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=5000)
    basis = forms.CharField(label="公开依据", widget=forms.Textarea(attrs={"rows": 2}),
                            required=False, max_length=5000)
    time_limit = forms.CharField(label="公开时限", max_length=200)
    subject = forms.CharField(label="公开主体", max_length=200, required=False)
    channels = forms.CharField(label="公开渠道和载体", max_length=300, required=False)
    audience = forms.ChoiceField(label="公开对象", required=False,
                                 choices=[("", "—"), ("public", "全社会"), ("group", "特定群体")])
    mode = forms.ChoiceField(label="公开方式", required=False,
                             choices=[("", "—"), ("active", "主动"), ("request", "依申请")])
    tier = forms.ChoiceField(label="公开层级", required=False,
                             choices=[("", "—"), ("district", "区级"), ("subdistrict", "街道"),
                                      ("both", "区级、街道")])
    node_urls = forms.CharField(label="发布栏目地址（每行一个）", required=False,
                                widget=forms.Textarea(attrs={"rows": 2}), max_length=3000)


PLATFORMS = [(p, p) for p in ("微信公众号", "微博", "抖音", "今日头条", "快手", "视频号",
                              "客户端", "其他")]


class MediaForm(forms.Form):
    org = forms.ModelChoiceField(label="开设单位", queryset=Organization.objects.filter(
        is_active=True), required=False)
    platform = forms.ChoiceField(label="平台", choices=PLATFORMS)
    name = forms.CharField(label="账号名称", max_length=100)
    account_id = forms.CharField(label="账号 ID", max_length=100, required=False)
    sponsor = forms.CharField(label="主办单位", max_length=100)
    operator = forms.CharField(label="运维单位", max_length=100, required=False)
    opened_on = forms.DateField(label="开设日期", required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    feed_url = forms.URLField(label="更新订阅地址（RSS/Atom，可空）", required=False,
                              assume_scheme="https")


class MediaRequestForm(forms.Form):
    kind = forms.ChoiceField(label="申请", choices=[("merge", "整合"), ("close", "关停")])
    reason = forms.CharField(label="理由", max_length=300)
    merge_into = forms.IntegerField(label="整合到（账号编号）", required=False)


class MediaCheckForm(forms.Form):
    quarter = forms.RegexField(label="季度（如 2026Q4）", regex=r"^20\d{2}Q[1-4]$", max_length=7)
    passed = forms.BooleanField(label="合格", required=False)
    note = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=2000)
