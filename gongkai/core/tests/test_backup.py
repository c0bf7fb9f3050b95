"""`gongkai backup` / `gongkai restore`: back up, restore into a fresh database, compare.

The restore runs as a real `gongkai restore` process against a new database (a new
SQLite file, or a second PostgreSQL database) and a new media folder; what it restored
is read back by another process (``snapshot`` below) and compared with the original.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from gongkai.core.backup import BackupError, archived_models, restore_backup, write_backup
from gongkai.core.models import AuditEntry, Role

SNAPSHOT = ("import json, django; django.setup(); "
            "from gongkai.core.tests.test_backup import snapshot; "
            "print(json.dumps(snapshot(), ensure_ascii=False))")


def snapshot() -> dict:
    """What a restore must reproduce: row counts and samples, decrypted with the key."""
    from gongkai.disclosure.models import Document
    from gongkai.foi.models import Application
    from gongkai.search.backends import get_backend

    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(media.rglob("*")) if p.is_file()} if media.is_dir() else {}
    return {
        "counts": {m._meta.label_lower: m._base_manager.count() for m in archived_models()},
        "documents": [[d.pk, d.title, d.index_number, d.status, d.body,
                       d.published_at.isoformat() if d.published_at else None,
                       [a.file.name for a in d.attachments.all()]]
                      for d in Document.objects.order_by("pk")],
        "applications": [[a.pk, a.number, a.id_number, a.applicant_name, a.phone,
                          a.address, a.submitted_at.isoformat(), a.answer_due.isoformat(),
                          a.identity_proof.name, a.clock_steps, str(a.fee_amount)]
                         for a in Application.objects.order_by("pk")],
        "audit": [[e.pk, e.action, e.actor_label, e.summary, e.target_repr, e.changes,
                   e.at.isoformat()] for e in AuditEntry.objects.order_by("pk")],
        "media": files,
        "search_hits": get_backend().search("供暖").total,
    }


def _pdf() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=100, height=100)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.fixture
def content(media, make_staff):
    """Published documents with an attachment, applications with letters and a proof."""
    from gongkai.core.models import Organization
    from gongkai.disclosure import services as ds
    from gongkai.disclosure.tests.factories import published
    from gongkai.foi import services as fs
    from gongkai.foi.tests.factories import person, registered

    unit = Organization.objects.get(code="hyq-fgj")
    editor, reviewer = make_staff(unit, Role.EDITOR), make_staff(unit, Role.REVIEWER)
    docs = [published(editor, reviewer, unit, title=f"关于做好冬季供暖工作的通知（{i}）",
                      doc_number=f"槐发改字[2026]{i}号") for i in range(1, 4)]
    ds.add_attachment(actor=reviewer, document=docs[0],
                      upload=SimpleUploadedFile("附件.pdf", _pdf()))
    registered(editor, received=dt.date(2026, 11, 2))
    fs.register_application(
        actor=editor, data=person(applicant_name="王五", phone="13912345678"),
        channel="post", received_date=dt.date(2026, 11, 3),
        addressee=Organization.objects.get(code="hyq"), org=unit,
        identity_proof=SimpleUploadedFile("王五身份证.pdf", _pdf()))
    return docs


def _target(tmp_path) -> tuple[str, callable]:
    """A fresh, empty database: its URL and a function that drops it."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        return f"sqlite:///{path}", lambda: None
    name = f"restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    user, host, port = db.get("USER") or "postgres", db.get("HOST") or "127.0.0.1", \
        db.get("PORT") or 5432

    def drop():
        with connection.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{name}", drop


def _run(args: list[str], url: str, media_root: Path, tmp_path: Path):
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(media_root),
           "GONGKAI_VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": settings.SECRET_KEY,
           "DJANGO_SETTINGS_MODULE": "gongkai.settings"}
    if settings.GONGKAI_FIELD_KEY:
        env["GONGKAI_FIELD_KEY"] = settings.GONGKAI_FIELD_KEY
    return subprocess.run([sys.executable, *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


def _resigned(src: Path, dest: Path, name: str, change) -> Path:
    """A copy of the archive with one member changed and the manifest to match it."""
    with tarfile.open(src, "r:gz") as tar:
        members = {m.name: (m, tar.extractfile(m).read()) for m in tar.getmembers()}
    manifest = json.loads(members["manifest.json"][1])
    data = change(members[name][1])
    for table in manifest["tables"].values():
        if table["file"] == name:
            table["size"], table["sha256"] = len(data), hashlib.sha256(data).hexdigest()
    members[name] = (members[name][0], data)
    members["manifest.json"] = (members["manifest.json"][0], json.dumps(manifest).encode())
    with tarfile.open(dest, "w:gz") as tar:
        for member, content in members.values():
            member.size = len(content)
            tar.addfile(member, io.BytesIO(content))
    return dest


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_a_fresh_database_gives_the_same_data(content, media,
                                                                        tmp_path):
    before = snapshot()
    assert before["counts"]["foi.application"] == 2 and before["search_hits"] == 3
    assert len(before["media"]) >= 4  # attachment, proof, receipt letters
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive))
    assert AuditEntry.objects.filter(action="core.backup").count() == 1

    # Encrypted personal data stays encrypted in the archive (the name itself is in the
    # text of the letters issued, which are kept verbatim: design note 18).
    raw = gzip.decompress(archive.read_bytes()).decode("utf-8", "replace")
    for secret in ("11010519491231002X", "13912345678", "王五身份证", "济南市槐荫区某路1号"):
        assert secret not in raw
    assert archive.stat().st_mode & 0o777 == 0o600

    url, drop = _target(tmp_path)
    try:
        restored_media = tmp_path / "restored-media"
        # An archive consistent in itself but one row short: the restore fails after
        # copying media, and leaves database and media empty so a retry works.
        short = _resigned(archive, tmp_path / "short.tar.gz", "db/foi.application.jsonl",
                          lambda data: data.rsplit(b"\n", 2)[0] + b"\n")
        r = _run(["-m", "gongkai.cli", "restore", str(short)], url, restored_media,
                 tmp_path)
        assert r.returncode != 0 and "foi.application: 1 rows read" in r.stderr
        assert not any(restored_media.rglob("*"))

        r = _run(["-m", "gongkai.cli", "restore", str(archive)], url, restored_media,
                 tmp_path)
        assert r.returncode == 0, r.stderr
        assert "restored" in r.stdout
        r = _run(["-c", SNAPSHOT], url, restored_media, tmp_path)
        assert r.returncode == 0, r.stderr
        after = json.loads(r.stdout)

        expected_counts = dict(before["counts"])
        expected_counts["core.auditentry"] += 1  # the restore itself is on record
        assert after["counts"] == expected_counts
        assert after["documents"] == before["documents"]
        assert after["applications"] == before["applications"]
        assert after["applications"][1][2:5] == ["11010519491231002X", "王五", "13912345678"]
        assert after["audit"][:-1] == before["audit"]
        assert after["audit"][-1][1] == "core.restore"
        assert after["media"] == before["media"]
        assert after["search_hits"] == 3  # index rebuilt from the restored documents

        # A second restore over the now non-empty database refuses and changes nothing.
        r = _run(["-m", "gongkai.cli", "restore", str(archive)], url,
                 tmp_path / "empty-media", tmp_path)
        assert r.returncode == 2 and "database is not empty" in r.stderr
        r = _run(["-m", "gongkai.cli", "restore", str(archive)], url, restored_media,
                 tmp_path)
        assert r.returncode == 2 and "is not empty" in r.stderr
        r = _run(["-c", SNAPSHOT], url, restored_media, tmp_path)
        assert json.loads(r.stdout)["counts"] == expected_counts
    finally:
        drop()


@pytest.mark.django_db
def test_restore_refuses_a_non_empty_database(content, media, tmp_path, settings):
    archive = tmp_path / "b.tar.gz"
    write_backup(archive)
    n = AuditEntry.objects.count()
    settings.MEDIA_ROOT = tmp_path / "empty"
    with pytest.raises(BackupError, match="database is not empty"):
        restore_backup(archive)
    assert AuditEntry.objects.count() == n


@pytest.mark.django_db
def test_damaged_archive_or_other_key_is_refused_before_touching_anything(
        content, media, tmp_path, settings):
    archive = tmp_path / "b.tar.gz"
    write_backup(archive)
    with pytest.raises(BackupError, match="already exists"):
        write_backup(archive)
    with pytest.raises(BackupError, match="outside the media folder"):
        write_backup(media / "b.tar.gz")

    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "db/foi.application.jsonl":
                data = data.replace(b"2026", b"2025", 1)
            dst.addfile(member, io.BytesIO(data))
    settings.MEDIA_ROOT = tmp_path / "empty"
    with pytest.raises(BackupError, match="checksum mismatch for db/foi.application.jsonl"):
        restore_backup(damaged)

    settings.GONGKAI_FIELD_KEY = "another key entirely"
    with pytest.raises(BackupError, match="different GONGKAI_FIELD_KEY"):
        restore_backup(archive)

    (tmp_path / "junk.tar.gz").write_bytes(b"not an archive")
    with pytest.raises(BackupError, match="not a gongkai backup"):
        restore_backup(tmp_path / "junk.tar.gz")


def test_cli_reports_errors_without_a_traceback(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("restore", str(tmp_path / "missing.tar.gz"))
    assert exc.value.code == 2 and "does not exist" in capsys.readouterr().err
