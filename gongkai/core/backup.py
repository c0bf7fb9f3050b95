"""`gongkai backup FILE` / `gongkai restore FILE`: one archive for SQLite and PostgreSQL.

The archive is a gzip'd tar holding, per model table, ``db/<app.model>.jsonl`` (a header
line with the column names, then one JSON array per row, read in one snapshot
transaction), every file under MEDIA_ROOT as ``media/<path>``, and ``manifest.json``
with row counts, sizes and SHA-256 checksums of every member, the applied migrations
and a fingerprint of the field-encryption key. Rows are copied as stored, so encrypted
personal data stays encrypted in the archive. Design note 18 in docs/design-notes.md
says why this format and not pg_dump / the sqlite3 backup API.

The search index is not archived: restore rebuilds it from the restored documents.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string

FORMAT = "gongkai-backup"
VERSION = 1
MANIFEST = "manifest.json"
# Transient or derived data: sessions expire, the search index is rebuilt on restore.
SKIPPED_APPS = frozenset({"sessions", "search"})
# Rows a fresh `migrate` creates itself; the archive's rows replace them.
SEEDED = ("auth.permission", "contenttypes.contenttype")
CHUNK = 2000


class BackupError(Exception):
    """A problem the operator can fix; the message is for the command line."""


@dataclass
class RestoreReport:
    rows: dict[str, int] = field(default_factory=dict)
    media_files: int = 0
    indexed: dict[str, int] = field(default_factory=dict)


def key_fingerprint() -> str:
    """Equal for archives made with the same GONGKAI_FIELD_KEY; reveals nothing of it."""
    from gongkai.foi import crypto

    return crypto.lookup_hash("gongkai-backup-key-check")[:16]


def archived_models() -> list:
    out = []
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped or meta.app_label in SKIPPED_APPS:
            continue
        out.append(model)
    return sorted(out, key=lambda m: m._meta.label_lower)


def _encode(value):
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    raise TypeError(f"cannot archive a {type(value).__name__}")


class _Hashing(io.RawIOBase):
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, fh):
        self.fh, self.sha = fh, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, n=-1):
        data = self.fh.read(n)
        self.sha.update(data)
        return data


# ---------------------------------------------------------------- backup

class _Snapshot:
    """One read transaction for the whole dump: every table as of the same moment.

    PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred transaction (a WAL
    snapshot) rather than Django's BEGIN IMMEDIATE, so the site keeps writing while the
    backup runs. Inside an existing atomic block (tests) that block is the snapshot."""

    def __init__(self, connection):
        self.connection = connection
        self.own = False

    def __enter__(self):
        c = self.connection
        c.ensure_connection()
        if c.in_atomic_block:
            return self
        self.own = True
        if c.vendor == "sqlite":
            c.connection.execute("BEGIN DEFERRED")
        else:
            c.set_autocommit(False)
            with c.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return self

    def __exit__(self, *exc):
        if not self.own:
            return
        c = self.connection
        if c.vendor == "sqlite":
            c.connection.execute("ROLLBACK")
        else:
            c.rollback()
            c.set_autocommit(True)


def write_backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS) -> dict:
    """Write the archive to ``path`` (refusing to overwrite); returns the manifest."""
    target = Path(path)
    if target.exists():
        raise BackupError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise BackupError(f"directory {target.parent} does not exist")
    media = Path(settings.MEDIA_ROOT).resolve()
    if target.resolve().is_relative_to(media):
        raise BackupError(f"write the archive outside the media folder {media}")
    connection = connections[using]
    manifest = {"format": FORMAT, "version": VERSION, "vendor": connection.vendor,
                "created_at": timezone.now().isoformat(), "key": key_fingerprint(),
                "migrations": [], "tables": {}, "media": {}}
    partial = target.with_name(target.name + ".partial")
    # The archive holds every applicant's data (encrypted fields stay encrypted, uploaded
    # scans do not): readable by the owner only.
    partial.unlink(missing_ok=True)  # left over from an interrupted run
    partial.touch(mode=0o600)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp, \
            tarfile.open(partial, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        try:
            with _Snapshot(connection):
                manifest["migrations"] = sorted(
                    [app, name] for app, name in
                    MigrationRecorder(connection).applied_migrations())
                for model in archived_models():
                    _dump_table(model, using, Path(tmp), tar, manifest)
            _add_media(tar, manifest)
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(data))
        except BaseException:
            tar.close()
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    return manifest


def _dump_table(model, using: str, tmp: Path, tar: tarfile.TarFile, manifest: dict) -> None:
    label = model._meta.label_lower
    columns = [f.attname for f in model._meta.concrete_fields]
    file = tmp / f"{label}.jsonl"
    sha, rows = hashlib.sha256(), 0
    with open(file, "wb") as fh:
        def write(obj) -> None:
            line = json.dumps(obj, ensure_ascii=False, default=_encode).encode() + b"\n"
            sha.update(line)
            fh.write(line)

        write(columns)
        qs = model._base_manager.using(using).order_by("pk").values_list(*columns)
        for row in qs.iterator(chunk_size=CHUNK):
            write([_encode(v) for v in row])
            rows += 1
    name = f"db/{label}.jsonl"
    tar.add(file, arcname=name, recursive=False)
    manifest["tables"][label] = {"file": name, "rows": rows, "columns": columns,
                                 "size": file.stat().st_size, "sha256": sha.hexdigest()}
    file.unlink()


def _add_media(tar: tarfile.TarFile, manifest: dict) -> None:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        rel = path.relative_to(root).as_posix()
        try:
            with open(path, "rb") as fh:
                info = tar.gettarinfo(fileobj=fh, arcname=f"media/{rel}")
                reader = _Hashing(fh)
                tar.addfile(info, reader)
        except FileNotFoundError:  # deleted while the backup ran (e.g. a purge)
            continue
        manifest["media"][rel] = {"size": info.size, "sha256": reader.sha.hexdigest()}


# ---------------------------------------------------------------- restore

def _member_path(name: str) -> PurePosixPath:
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or not p.parts:
        raise BackupError(f"unsafe path in archive: {name!r}")
    return p


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("not a gongkai backup: manifest.json is missing") from None
    try:
        manifest = json.loads(tar.extractfile(member).read())
    except (ValueError, AttributeError):
        raise BackupError("manifest.json is unreadable") from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"unsupported archive format {manifest.get('format')!r} "
                          f"version {manifest.get('version')!r}")
    return manifest


def verify(tar: tarfile.TarFile, manifest: dict) -> None:
    """Every member listed, present, and with its recorded size and checksum."""
    expected = {t["file"]: (t["size"], t["sha256"]) for t in manifest["tables"].values()}
    expected.update({f"media/{p}": (m["size"], m["sha256"])
                     for p, m in manifest["media"].items()})
    seen = set()
    for member in tar:
        if member.name == MANIFEST:
            continue
        _member_path(member.name)
        if member.name not in expected or not member.isfile():
            raise BackupError(f"archive member {member.name!r} is not in the manifest")
        sha = hashlib.sha256()
        fh = tar.extractfile(member)
        while block := fh.read(1 << 20):
            sha.update(block)
        if (member.size, sha.hexdigest()) != expected[member.name]:
            raise BackupError(f"checksum mismatch for {member.name}: the archive is damaged")
        seen.add(member.name)
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(f"archive is incomplete: {missing[0]} is missing")


def _check_target(connection, manifest: dict) -> None:
    """Refuse anything but an empty database and media folder."""
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(media.iterdir()):
        raise BackupError(f"media folder {media} is not empty; restore needs an empty one")
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables:
        return
    seeded = set(SEEDED)
    for model in archived_models():
        if model._meta.label_lower in seeded or model._meta.db_table not in tables:
            continue
        if model._base_manager.using(connection.alias).exists():
            raise BackupError(
                f"database is not empty (table {model._meta.db_table} has rows); restore "
                "only into an empty database - create a new one, or drop and recreate it")


def restore_backup(path: str | os.PathLike, *, using: str = DEFAULT_DB_ALIAS,
                   reindex: bool = True) -> RestoreReport:
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    connection = connections[using]
    try:
        tar = tarfile.open(source, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not a gongkai backup archive ({exc})") from None
    with tar:
        manifest = read_manifest(tar)
        verify(tar, manifest)
        if manifest["key"] != key_fingerprint():
            raise BackupError(
                "the archive was made with a different GONGKAI_FIELD_KEY (or SECRET_KEY): "
                "set the same key, or identity numbers and names cannot be decrypted")
        _check_target(connection, manifest)
        call_command("migrate", database=using, interactive=False, verbosity=0)
        applied = sorted([a, n] for a, n in MigrationRecorder(connection).applied_migrations())
        if applied != manifest["migrations"]:
            extra = sorted(set(map(tuple, applied)) ^ set(map(tuple, manifest["migrations"])))
            raise BackupError(
                "the archive was made with another version of gongkai (migrations differ, "
                f"e.g. {'.'.join(extra[0])}); restore with the version that made it, then "
                "upgrade")
        report = RestoreReport()
        # Media first, then the rows in one transaction: if anything fails, the media
        # folder is emptied again and the database keeps no rows, so a retry is possible.
        try:
            report.media_files = _extract_media(tar, manifest)
            _load_tables(tar, manifest, connection, report)
        except BaseException:
            _empty_media()
            raise
    if reindex:
        from gongkai.search.indexing import reindex_all

        report.indexed = reindex_all()
    from gongkai.core import audit

    audit.record(actor=None, action="core.restore",
                 changes={"archive_created_at": manifest["created_at"],
                          "rows": sum(report.rows.values()), "media": report.media_files},
                 summary=f"从备份恢复（备份时间 {manifest['created_at']}）",
                 target_label=source.name)
    return report


def _load_tables(tar, manifest: dict, connection, report: RestoreReport) -> None:
    models = {m._meta.label_lower: m for m in archived_models()}
    unknown = sorted(set(manifest["tables"]) - set(models))
    if unknown:
        raise BackupError(f"archive has a table this version does not know: {unknown[0]}")
    by_file = {info["file"]: label for label, info in manifest["tables"].items()}
    # Foreign keys are checked once at the end (SQLite: the pragma must be set before
    # the transaction starts; PostgreSQL: Django's constraints are deferrable).
    with connection.constraint_checks_disabled(), transaction.atomic(using=connection.alias):
        for label in SEEDED:  # permissions first: they point at content types
            if label in manifest["tables"]:
                models[label]._base_manager.using(connection.alias).all()._raw_delete(
                    connection.alias)
        # Members in archive order: a gzip stream only reads forward cheaply.
        for member in tar.getmembers():
            label = by_file.get(member.name)
            if label is not None:
                info = manifest["tables"][label]
                report.rows[label] = _load_table(tar.extractfile(member), models[label],
                                                 info, connection)
        connection.check_constraints(
            table_names=[models[label]._meta.db_table for label in manifest["tables"]])
        reset = connection.ops.sequence_reset_sql(no_style(), list(models.values()))
        if reset:
            with connection.cursor() as cur:
                for sql in reset:
                    cur.execute(sql)


def _load_table(raw, model, info: dict, connection) -> int:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    fh = io.TextIOWrapper(raw, encoding="utf-8")
    columns = json.loads(fh.readline())
    if set(columns) != set(fields):
        raise BackupError(f"columns of {model._meta.label_lower} differ from this version")
    order = [fields[c] for c in columns]
    manager, batch, count = model._base_manager, [], 0
    size = None
    for line in fh:
        values = json.loads(line)
        batch.append(model.from_db(connection.alias, columns,
                                   [f.to_python(v) if v is not None else None
                                    for f, v in zip(order, values, strict=True)]))
        if size is None:
            size = max(1, min(500, connection.ops.bulk_batch_size(order, batch) or 500))
        if len(batch) >= size:
            manager._insert(batch, fields=order, using=connection.alias, raw=True)
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=order, using=connection.alias, raw=True)
        count += len(batch)
    if count != info["rows"]:
        raise BackupError(f"{model._meta.label_lower}: {count} rows read, "
                          f"manifest says {info['rows']}")
    return count


def _empty_media() -> None:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()


def _extract_media(tar, manifest: dict) -> int:
    root = Path(settings.MEDIA_ROOT)
    count = 0
    for member in tar.getmembers():
        if not member.name.startswith("media/"):
            continue
        rel = member.name[len("media/"):]
        dest = root.joinpath(*_member_path(rel).parts)
        dest.parent.mkdir(parents=True, exist_ok=True)
        src = tar.extractfile(member)
        with open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
        count += 1
    return count
