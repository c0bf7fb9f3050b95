"""依申请公开: applications, their dated events, consultations, letters, appeals, supervision.

The annual report (gongkai.reports) reads: ``Application.applicant_type``,
``received_date``, ``closed_date``, ``result`` (the row code of the 2021 format),
``fee_amount``/``fee_paid_date``, and ``AppealRecord`` rows.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from gongkai.core.models import Organization
from gongkai.core.uploads import GeneratedName
from gongkai.foi import clock, crypto


class ApplicantType(models.TextChoices):
    NATURAL_PERSON = "natural_person", "自然人"
    COMMERCIAL = "commercial", "商业企业"
    RESEARCH = "research", "科研机构"
    SOCIAL_WELFARE = "social_welfare", "社会公益组织"
    LEGAL_SERVICE = "legal_service", "法律服务机构"
    OTHER_ORG = "other_org", "其他"


ORG_TYPES = [c for c in ApplicantType.choices if c[0] != ApplicantType.NATURAL_PERSON]


class IdType(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    OTHER = "other", "其他有效身份证件"


class Channel(models.TextChoices):
    ONLINE = "online", "网上申请"
    IN_PERSON = "in_person", "当面提交"
    POST = "post", "邮寄（需签收）"
    LETTER = "letter", "平常信函"
    FAX = "fax", "传真"


# How Art. 31 fixes the receipt date for each channel (shown next to the date field).
RECEIPT_RULES = {
    Channel.ONLINE: "以双方确认之日为收到申请之日（公开办确认当日）。",
    Channel.IN_PERSON: "以提交之日为收到申请之日。",
    Channel.POST: "以行政机关签收之日为收到申请之日。",
    Channel.LETTER: "以公开办与申请人确认之日为收到申请之日（收到当日确认）。",
    Channel.FAX: "以双方确认之日为收到申请之日。",
}


class FormWanted(models.TextChoices):
    PAPER = "paper", "纸质"
    EMAIL = "email", "电子邮件"
    DISC = "disc", "光盘"
    OTHER_ELECTRONIC = "electronic", "其他电子数据"


class Delivery(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "自行领取"
    ONSITE = "onsite", "当场阅读、抄录"
    FAX = "fax", "传真"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待确认收到"
    PROCESSING = "processing", "办理中"
    CORRECTION = "correction", "待申请人补正"
    CONSULTING = "consulting", "征求意见中"
    FEE = "fee", "待缴纳信息处理费"
    CLOSED = "closed", "已办结"


# The rows of section 三 of the annual report (国办公开办函〔2021〕30号), RULES.md §3.
RESULT_GROUPS = {
    "3.1": "予以公开",
    "3.2": "部分公开",
    "3.3": "不予公开",
    "3.4": "无法提供",
    "3.5": "不予处理",
    "3.6": "其他处理",
}
RESULT_ROWS = {
    "3.1": "予以公开",
    "3.2": "部分公开（区分处理的，只计这一情形，不计其他情形）",
    "3.3.1": "属于国家秘密",
    "3.3.2": "其他法律行政法规禁止公开",
    "3.3.3": "危及“三安全一稳定”",
    "3.3.4": "保护第三方合法权益",
    "3.3.5": "属于三类内部事务信息",
    "3.3.6": "属于四类过程性信息",
    "3.3.7": "属于行政执法案卷",
    "3.3.8": "属于行政查询事项",
    "3.4.1": "本机关不掌握相关政府信息",
    "3.4.2": "没有现成信息需要另行制作",
    "3.4.3": "补正后申请内容仍不明确",
    "3.5.1": "信访举报投诉类申请",
    "3.5.2": "重复申请",
    "3.5.3": "要求提供公开出版物",
    "3.5.4": "无正当理由大量反复申请",
    "3.5.5": "要求行政机关确认或重新出具已获取信息",
    "3.6.1": "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "3.6.2": "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.6.3": "其他",
}


def result_label(code: str) -> str:
    group = RESULT_GROUPS[code[:3]]
    if code in ("3.1", "3.2"):
        return RESULT_ROWS[code]
    return f"{group}：{code[4:]}.{RESULT_ROWS[code]}"


RESULT_CHOICES = [(code, result_label(code)) for code in RESULT_ROWS]
RESULT_CODES = frozenset(RESULT_ROWS)
WITHHELD_CODES = frozenset(c for c in RESULT_ROWS if c.startswith("3.3."))


def answer_group(code: str) -> str:
    """The 答复书 template for a result: answer_3.1 … answer_3.6."""
    return f"answer_{code[:3]}"


class FeeMethod(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"


class FeeDelivery(models.TextChoices):
    """How the 收费通知 reached the applicant: the 20 WD to pay count from receipt (109号)."""

    ONLINE = "online", "网上送达（发出当日收到）"
    IN_PERSON = "in_person", "当面送达（送达当日收到）"
    POST = "post", "邮寄（以签收日期为准）"
def _sealed(column: str, hmac_column: str | None = None) -> property:
    """A plain-text property over an encrypted column (and its lookup hash, if any).

    A property (not a custom field) so the database, dumps and backups only ever hold
    ciphertext, and Model(applicant_name=...) keeps working."""

    def get(self) -> str:
        return crypto.decrypt(getattr(self, column))

    def set(self, value: str | None) -> None:
        value = (value or "").strip()
        setattr(self, column, crypto.encrypt(value))
        if hmac_column:
            setattr(self, hmac_column, crypto.lookup_hash(value))

    return property(get, set)


class Application(models.Model):
    number = models.CharField("申请编号", max_length=64, unique=True)
    year = models.PositiveIntegerField("年度")
    serial = models.PositiveIntegerField("序号")
    tracking_code_hash = models.CharField(max_length=64, db_index=True, editable=False)
    addressee = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="受理机关")
    org = models.ForeignKey(Organization, on_delete=models.PROTECT, null=True, blank=True,
                            related_name="foi_applications", verbose_name="承办单位")

    applicant_type = models.CharField("申请人类型", max_length=20,
                                      choices=ApplicantType.choices)
    # Personal data is stored encrypted (crypto.encrypt); the model exposes plain-text
    # properties of the old names (applicant_name, phone, ...) below. Exact-name search
    # goes through the keyed hash applicant_name_hmac. docs/design-notes.md, note 18.
    applicant_name_encrypted = models.TextField("申请人名称（加密）")
    applicant_name_hmac = models.CharField("申请人名称索引", max_length=64, blank=True,
                                           db_index=True)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType.choices, blank=True)
    id_number_encrypted = models.TextField("证件号码（加密）", blank=True)
    id_hmac = models.CharField("证件号码索引", max_length=64, blank=True, db_index=True)
    contact_person_encrypted = models.TextField("联系人（加密）", blank=True)
    phone_encrypted = models.TextField("联系电话（加密）", blank=True)
    email_encrypted = models.TextField("电子邮箱（加密）", blank=True)
    address_encrypted = models.TextField("通信地址（加密）", blank=True)
    postcode = models.CharField("邮政编码", max_length=10, blank=True)
    anonymised_at = models.DateTimeField("个人信息匿名化时间", null=True, blank=True,
                                         editable=False)

    subject = models.CharField("所需信息名称", max_length=300)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    description = models.TextField("其他特征描述", blank=True)
    forms_wanted = models.JSONField("信息的指定提供形式", default=list, blank=True)
    delivery = models.CharField("获取信息方式", max_length=20, choices=Delivery.choices,
                                blank=True)
    identity_proof = models.FileField("身份证明", upload_to=GeneratedName("foi/proof"),
                                      blank=True)
    # The citizen's file name often holds their name: encrypted like the rest.
    identity_proof_name_encrypted = models.TextField("身份证明原文件名（加密）", blank=True)

    channel = models.CharField("申请方式", max_length=20, choices=Channel.choices)
    submitted_at = models.DateTimeField("提交时间", auto_now_add=True)
    received_date = models.DateField("收到申请日期", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices,
                              default=Status.SUBMITTED, db_index=True)

    correction_notice_date = models.DateField("补正通知日期", null=True, blank=True)
    correction_items = models.TextField("补正事项", blank=True)
    correction_deadline = models.DateField("补正期限", null=True, blank=True)
    correction_received_date = models.DateField("收到补正日期", null=True, blank=True)

    extension_days = models.PositiveSmallIntegerField("延长工作日数", null=True, blank=True)
    extension_approved_on = models.DateField("延期批准日期", null=True, blank=True)
    extension_reason = models.TextField("延期理由", blank=True)

    correction_notice_due = models.DateField("补正告知期限", null=True, blank=True)
    answer_due = models.DateField("答复期限", null=True, blank=True, db_index=True)
    due_provisional = models.BooleanField("期限暂停中", default=False)
    clock_steps = models.JSONField("期限计算过程", default=list, blank=True)
    clock_warnings = models.JSONField("期限提示", default=list, blank=True)

    fee_method = models.CharField("计费方式", max_length=20, choices=FeeMethod.choices,
                                  blank=True)
    fee_pages = models.PositiveIntegerField("页数", null=True, blank=True)
    fee_nth = models.PositiveIntegerField("当月第几件", null=True, blank=True)
    fee_amount = models.DecimalField("信息处理费（元）", max_digits=10, decimal_places=2,
                                     null=True, blank=True)
    fee_notice_date = models.DateField("收费通知日期", null=True, blank=True)
    fee_paid_date = models.DateField("缴费日期", null=True, blank=True)
    fee_delivery = models.CharField("收费通知送达方式", max_length=20,
                                    choices=FeeDelivery.choices, blank=True)
    fee_delivered_date = models.DateField("收费通知送达日期", null=True, blank=True)

    result = models.CharField("办理结果", max_length=8, choices=RESULT_CHOICES, blank=True,
                              db_index=True)
    closed_date = models.DateField("办结日期", null=True, blank=True, db_index=True)
    legal_basis = models.TextField("法律依据", blank=True)
    # The letter type of gongkai.foi.letter_texts (finer than ``result``) and what staff
    # entered for it (获取途径, 负责机关, 不予公开内容 …).
    answer_type = models.CharField("答复类型", max_length=30, blank=True)
    answer_details = models.JSONField("答复内容", default=dict, blank=True)
    answer_reason = models.TextField("理由", blank=True)
    responsible_agency = models.CharField("负责公开的机关及联系方式", max_length=200,
                                          blank=True)
    repeat_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="重复的申请")
    imported = models.BooleanField("历史导入", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-year", "-serial"]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def is_organisation(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL_PERSON

    applicant_name = _sealed("applicant_name_encrypted", "applicant_name_hmac")
    contact_person = _sealed("contact_person_encrypted")
    phone = _sealed("phone_encrypted")
    email = _sealed("email_encrypted")
    address = _sealed("address_encrypted")
    identity_proof_name = _sealed("identity_proof_name_encrypted")

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    def set_id_number(self, value: str) -> None:
        value = crypto.normalise(value)
        self.id_number_encrypted = crypto.encrypt(value)
        self.id_hmac = crypto.lookup_hash(value)

    def masked_id(self) -> str:
        from gongkai.core.privacy import mask_tail

        return mask_tail(self.id_number)

    def forms_wanted_display(self) -> str:
        labels = dict(FormWanted.choices)
        return "、".join(labels.get(v, v) for v in self.forms_wanted or [])

    def result_display(self) -> str:
        return result_label(self.result) if self.result else ""

    def clock_input(self) -> clock.ClockInput | None:
        if self.received_date is None:
            return None
        pauses = [clock.Pause(c.kind, c.sent_date, c.reply_date)
                  for c in (self.consultations.all() if self.pk else [])]
        # RULES.md §2 [M]: the fee wait is not counted; a setting in case the text says otherwise.
        if self.fee_notice_date and getattr(settings, "GONGKAI_FOI_FEE_WAIT_PAUSES", True):
            end = self.fee_paid_date
            pauses.append(clock.Pause(clock.PAUSE_FEE, self.fee_notice_date, end))
        ext = None
        if self.extension_days:
            ext = clock.Extension(self.extension_days, self.extension_approved_on)
        return clock.ClockInput(
            received=self.received_date, correction_notice=self.correction_notice_date,
            correction_deadline=self.correction_deadline,
            correction_received=self.correction_received_date,
            pauses=tuple(sorted(pauses, key=lambda p: p.start)), extension=ext)

    def compute_clock(self, cal, as_of: dt.date | None = None,
                      data: clock.ClockInput | None = None) -> clock.ClockResult | None:
        data = data or self.clock_input()
        if data is None:
            return None
        return clock.compute(data, cal, as_of=as_of or dt.date.today())

    def apply_clock(self, result: clock.ClockResult | None) -> None:
        if result is None:
            self.answer_due = self.correction_notice_due = None
            self.clock_steps, self.clock_warnings, self.due_provisional = [], [], False
            return
        self.correction_notice_due = result.correction_notice_due
        self.answer_due = result.answer_due
        self.due_provisional = result.provisional
        self.clock_steps = result.explanation()
        self.clock_warnings = list(result.warnings)


class ConsultationKind(models.TextChoices):
    THIRD_PARTY = clock.PAUSE_CONSULT_THIRD_PARTY, "征求第三方意见（第三十二条）"
    OTHER_AGENCY = clock.PAUSE_CONSULT_AGENCY, "征求其他机关意见（第三十四条）"


class Opinion(models.TextChoices):
    AGREE = "agree", "同意公开"
    OBJECT = "object", "不同意公开（说明理由）"
    SILENT = "silent", "逾期未答复"


class Consultation(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="consultations")
    kind = models.CharField("类型", max_length=20, choices=ConsultationKind.choices)
    party = models.CharField("被征求意见方", max_length=200)
    sent_date = models.DateField("发出征询日期")
    reply_due = models.DateField("答复期限（15个工作日）", null=True, blank=True)
    reply_date = models.DateField("征询结束日期", null=True, blank=True)
    opinion = models.CharField("意见", max_length=20, choices=Opinion.choices, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["sent_date", "id"]
        verbose_name = "征求意见"
        verbose_name_plural = "征求意见"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.party}"


class Event(models.Model):
    """A dated step of an application; ``public`` steps appear on the tracking page."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="events")
    date = models.DateField("日期")
    kind = models.CharField("类型", max_length=40)
    text = models.CharField("说明", max_length=500)
    public = models.BooleanField("申请人可见", default=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "办理步骤"
        verbose_name_plural = "办理步骤"

    def __str__(self) -> str:
        return f"{self.date} {self.text}"


class LetterKind(models.TextChoices):
    RECEIPT = "receipt", "登记回执"
    CORRECTION = "correction", "补正通知书"
    EXTENSION = "extension", "延期答复告知书"
    CONSULTATION = "consultation", "第三方意见征询函"
    FEE = "fee", "收费通知书"
    ANSWER_31 = "answer_3.1", "政府信息公开申请答复书（予以公开）"
    ANSWER_32 = "answer_3.2", "政府信息公开申请答复书（部分公开）"
    ANSWER_33 = "answer_3.3", "政府信息公开申请答复书（不予公开）"
    ANSWER_34 = "answer_3.4", "政府信息公开申请答复书（无法提供）"
    ANSWER_35 = "answer_3.5", "政府信息公开申请答复书（不予处理）"
    ANSWER_36 = "answer_3.6", "政府信息公开申请告知书（其他处理）"


class LetterTemplate(models.Model):
    """A unit's own wording of a letter; ``org`` empty = the district default."""

    org = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.CASCADE,
                            related_name="+", verbose_name="单位")
    kind = models.CharField("文书类型", max_length=20, choices=LetterKind.choices)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "kind"], name="foi_tpl_org_kind")]
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"

    def __str__(self) -> str:
        return f"{self.org or '默认'} {self.get_kind_display()}"


class Letter(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="letters")
    kind = models.CharField("文书类型", max_length=20, choices=LetterKind.choices)
    number = models.CharField("文书编号", max_length=100)
    title = models.CharField("标题", max_length=100)
    body = models.TextField("正文")
    issuer = models.CharField("落款单位", max_length=100)
    date = models.DateField("日期")
    docx = models.FileField(upload_to="foi/letters/%Y/")
    pdf = models.FileField(upload_to="foi/letters/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = "文书"
        verbose_name_plural = "文书"

    def __str__(self) -> str:
        return f"{self.title}（{self.number}）"


class AnswerFile(models.Model):
    """What an answer provides (予以公开, 部分公开): an uploaded file or a published link."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="answer_files")
    title = models.CharField("材料名称", max_length=200)
    file = models.FileField("文件", upload_to="foi/answers/%Y/", blank=True)
    link = models.URLField("已公开文件链接", max_length=500, blank=True)
    pages = models.PositiveIntegerField("页数", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "答复提供的材料"
        verbose_name_plural = "答复提供的材料"

    def __str__(self) -> str:
        return self.title


class FeeAccount(models.Model):
    """Where a unit's 信息处理费 is paid; ``org`` empty = the district default."""

    org = models.OneToOneField(Organization, null=True, blank=True, on_delete=models.CASCADE,
                               related_name="+", verbose_name="单位（留空为全区默认）")
    payee = models.CharField("收款单位", max_length=200)
    bank = models.CharField("开户银行", max_length=200, blank=True)
    account = models.CharField("银行账号", max_length=50, blank=True)
    payment_code = models.CharField("缴款码或缴费方式说明", max_length=300, blank=True,
                                    help_text="例如 山东省非税收入缴款码、扫码缴费的网址。")

    class Meta:
        verbose_name = "信息处理费收款信息"
        verbose_name_plural = "信息处理费收款信息"
        constraints = [models.UniqueConstraint(fields=["org"], name="foi_fee_account_org")]

    def __str__(self) -> str:
        return f"{self.org or '全区默认'}：{self.payee}"

    def text(self) -> str:
        parts = [f"收款单位：{self.payee}"]
        if self.bank:
            parts.append(f"开户银行：{self.bank}")
        if self.account:
            parts.append(f"账号：{self.account}")
        if self.payment_code:
            parts.append(self.payment_code)
        return "；".join(parts) + "。"


class AppealKind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION = "litigation", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class AppealRecord(models.Model):
    """行政复议 / 行政诉讼 about an application (annual report section 四)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="appeals")
    kind = models.CharField("类型", max_length=30, choices=AppealKind.choices)
    filed_date = models.DateField("申请（起诉）日期")
    outcome = models.CharField("结果", max_length=20, choices=AppealOutcome.choices,
                               default=AppealOutcome.PENDING)
    concluded_date = models.DateField("审结日期", null=True, blank=True)
    body = models.CharField("复议机关或法院", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["filed_date", "id"]
        verbose_name = "复议诉讼记录"
        verbose_name_plural = "复议诉讼记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.filed_date}"


class SupervisionNotice(models.Model):
    """督办: the coordinator's written reminder to the handling unit."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="supervisions")
    org = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL,
                            related_name="+", verbose_name="被督办单位")
    text = models.TextField("督办意见")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "督办"
        verbose_name_plural = "督办"

    def __str__(self) -> str:
        return f"督办 {self.application_id}"


class QualityCheck(models.Model):
    """抽检: the coordinator's quality review of a closed application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="quality_checks")
    score = models.PositiveSmallIntegerField("得分（0-100）")
    comment = models.TextField("评查意见")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = "抽检"
        verbose_name_plural = "抽检"

    def __str__(self) -> str:
        return f"抽检 {self.application_id}：{self.score}分"


class SubmitToken(models.Model):
    """The one-time token of a rendered application form (gongkai.foi.submit_tokens).

    The unique hash makes a second POST of the same form — a double click, a browser retry
    after a dropped response, two workers at once — find the first application instead of
    filing another. The tracking code is kept encrypted only so that such a retry can show
    the receipt again; rows are deleted once the token has expired.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    # Null only inside the submitting transaction: the token is claimed first, so a second
    # request waits on the unique index before it does any work.
    application = models.ForeignKey(Application, on_delete=models.CASCADE, null=True,
                                    related_name="+")
    code_encrypted = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "申请表提交令牌"
        verbose_name_plural = "申请表提交令牌"

    def __str__(self) -> str:
        return f"令牌 {self.application_id}"
