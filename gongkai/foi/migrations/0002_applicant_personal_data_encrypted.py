"""Encrypt applicant name, contact person, phone, e-mail and address at rest; uploaded
identity proofs get generated names (the citizen's file name kept as metadata)."""

from django.db import migrations, models

import gongkai.core.uploads
from gongkai.foi import crypto

MOVED = ("applicant_name", "contact_person", "phone", "email", "address")


def seal(apps, schema_editor):
    Application = apps.get_model("foi", "Application")
    for app in Application.objects.all().iterator(chunk_size=500):
        for name in MOVED:
            value = (getattr(app, name) or "").strip()
            setattr(app, f"{name}_encrypted", crypto.encrypt(value))
        app.applicant_name_hmac = crypto.lookup_hash(app.applicant_name)
        app.identity_proof_name_encrypted = crypto.encrypt(
            app.identity_proof.name.rsplit("/", 1)[-1][-200:])
        app.save(update_fields=[f"{n}_encrypted" for n in MOVED]
                 + ["applicant_name_hmac", "identity_proof_name_encrypted"])


def unseal(apps, schema_editor):
    Application = apps.get_model("foi", "Application")
    for app in Application.objects.all().iterator(chunk_size=500):
        for name in MOVED:
            setattr(app, name, crypto.decrypt(getattr(app, f"{name}_encrypted")))
        app.save(update_fields=list(MOVED))


class Migration(migrations.Migration):
    dependencies = [("foi", "0001_initial")]

    operations = [
        migrations.AddField("application", "applicant_name_encrypted",
                            models.TextField(default="", verbose_name="申请人名称（加密）"),
                            preserve_default=False),
        migrations.AddField("application", "applicant_name_hmac",
                            models.CharField(blank=True, db_index=True, max_length=64,
                                             verbose_name="申请人名称索引")),
        migrations.AddField("application", "contact_person_encrypted",
                            models.TextField(blank=True, verbose_name="联系人（加密）")),
        migrations.AddField("application", "phone_encrypted",
                            models.TextField(blank=True, verbose_name="联系电话（加密）")),
        migrations.AddField("application", "email_encrypted",
                            models.TextField(blank=True, verbose_name="电子邮箱（加密）")),
        migrations.AddField("application", "address_encrypted",
                            models.TextField(blank=True, verbose_name="通信地址（加密）")),
        migrations.AddField("application", "anonymised_at",
                            models.DateTimeField(blank=True, editable=False, null=True,
                                                 verbose_name="个人信息匿名化时间")),
        migrations.AddField("application", "identity_proof_name_encrypted",
                            models.TextField(blank=True, verbose_name="身份证明原文件名（加密）")),
        migrations.AlterField("application", "identity_proof",
                              models.FileField(blank=True, upload_to=gongkai.core.uploads
                                               .GeneratedName("foi/proof"),
                                               verbose_name="身份证明")),
        migrations.RunPython(seal, unseal),
        # A default only so that migrating backwards can re-add the column to filled rows.
        migrations.AlterField("application", "applicant_name",
                              models.CharField(default="", max_length=100,
                                               verbose_name="申请人名称")),
        migrations.RemoveField("application", "applicant_name"),
        migrations.RemoveField("application", "contact_person"),
        migrations.RemoveField("application", "phone"),
        migrations.RemoveField("application", "email"),
        migrations.RemoveField("application", "address"),
    ]
