"""Documents scheduled before approvals were bound to a revision were approved as they
stand: record their current content hash, so publish_due still publishes them instead of
returning them to draft as changed since review."""

from django.db import migrations


def bind(apps, schema_editor):
    from gongkai.disclosure.services.common import document_revision

    Document = apps.get_model("disclosure", "Document")
    for doc in Document.objects.filter(status="scheduled", approved_hash=""):
        doc.approved_hash = document_revision(doc)
        doc.save(update_fields=["approved_hash"])


class Migration(migrations.Migration):

    dependencies = [
        ("disclosure", "0002_review_binding_hash_and_contributors"),
    ]

    operations = [
        migrations.RunPython(bind, migrations.RunPython.noop),
    ]
