"""Backups of the store, and putting one back.

- SQLite: SQLite's own online backup API (`sqlite3.Connection.backup`), page by page, consistent
  while the app keeps reading and writing; restoring copies the backup's pages into the live file
  the same way, so running instances keep their connections.
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore --clean --if-exists
  --single-transaction` (all or nothing). The password goes to the tools in PGPASSWORD, never on
  their command line.

A restore refuses a file that is not a backup of this store's schema — not an SQLite file or a
pg_dump archive, or one without a schema revision this code knows — before touching anything.
After it, the store is migrated to the current schema if the backup was older, every data area's
revision is raised above anything a cache may hold, and the restore is in the audit log.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select, update
from sqlalchemy.engine import make_url

from data_access import schema
from data_access.auth import Actor
from data_access.models import data_revisions
from data_access.vocabulary import ROLE_ADMIN
from data_access.writes import change, require_role


class BackupProblem(Exception):
    """A backup could not be written or a file cannot be restored; the message says why, in Russian."""


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(schema._alembic_config())
    return {revision.revision for revision in script.walk_revisions()}


def _is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def _postgres_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (folder / name).exists():
            return str(folder / name)
    raise BackupProblem(
        f"Не найдена программа {name} — установите клиент PostgreSQL (Debian: postgresql-client) "
        "той же версии, что сервер."
    )


def _postgres_environment(engine: Engine) -> dict[str, str]:
    """libpq's variables for the store's URL: host, port, user, database and password."""
    url = make_url(engine.url.render_as_string(hide_password=False))
    variables = {
        "PGHOST": url.host or str(url.query.get("host") or ""),
        "PGPORT": str(url.port or ""),
        "PGUSER": url.username or "",
        "PGPASSWORD": url.password or "",
        "PGDATABASE": url.database or "",
    }
    return {**os.environ, **{name: value for name, value in variables.items() if value}}


def backup(engine: Engine, target: Path) -> Path:
    """Write a backup of the store to `target` (written beside it first, then moved into place)."""
    target = Path(target)
    if not target.parent.is_dir():
        raise BackupProblem(f"Папки «{target.parent}» нет: резервную копию некуда записать.")
    partial = target.with_name(f".{target.name}.partial")
    try:
        if _is_sqlite(engine):
            with engine.connect() as connection:
                source = schema.driver_connection(connection)
                destination = sqlite3.connect(partial)
                try:
                    source.backup(destination)
                finally:
                    destination.close()
        else:
            result = subprocess.run(
                [_postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"],
                env=_postgres_environment(engine),
                capture_output=True,
                text=True,
                timeout=3600,
            )
            if result.returncode:
                raise BackupProblem(f"pg_dump не смог сделать копию: {result.stderr.strip()[:400]}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def backup_revision(engine: Engine, source: Path) -> str:
    """The schema revision a backup file holds; BackupProblem when it is not a backup of this store."""
    source = Path(source)
    if not source.is_file():
        raise BackupProblem(f"Файла «{source}» нет.")
    if _is_sqlite(engine):
        if source.read_bytes()[:16] != b"SQLite format 3\x00":
            raise BackupProblem(f"«{source.name}» — не резервная копия этой базы: это не файл SQLite.")
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as connection:
                revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupProblem(
                f"«{source.name}» — не резервная копия этой базы: в ней нет схемы дашборда ({error})."
            ) from error
    else:
        listed = subprocess.run(
            [_postgres_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(source)],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if listed.returncode:
            raise BackupProblem(
                f"«{source.name}» — не резервная копия этой базы: pg_restore не читает её как архив "
                f"pg_dump ({listed.stderr.strip()[:200]})."
            )
        found = re.search(r"COPY [\w.\"]*alembic_version[^\n]*\n(\w+)\n", listed.stdout)
        revision = (found.group(1),) if found else None
    if not revision or revision[0] not in known_revisions():
        raise BackupProblem(
            f"«{source.name}» — не резервная копия этой базы: версии её схемы "
            f"«{revision[0] if revision else 'нет'}» нет среди миграций дашборда."
        )
    return revision[0]


def restore(engine: Engine, source: Path, actor: Actor) -> str:
    """Put the backup `source` back in place of the store's contents; returns its schema revision."""
    require_role(engine, actor, ROLE_ADMIN, "восстановление из резервной копии")
    revision = backup_revision(engine, source)
    with engine.connect() as connection:
        revisions_before = dict(connection.execute(select(data_revisions.c.area, data_revisions.c.revision)).all())
    if _is_sqlite(engine):
        with engine.connect() as connection:
            destination = schema.driver_connection(connection)
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_file:
                backup_file.backup(destination)
    else:
        with tempfile.TemporaryDirectory():
            result = subprocess.run(
                [
                    _postgres_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--no-privileges",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={_postgres_environment(engine)['PGDATABASE']}",
                    str(source),
                ],
                env=_postgres_environment(engine),
                capture_output=True,
                text=True,
                timeout=3600,
            )
        if result.returncode:
            raise BackupProblem(
                f"pg_restore не смог восстановить копию, база не изменена: {result.stderr.strip()[:400]}"
            )
    engine.dispose()  # connections opened before the restore may hold the old schema's caches
    schema.upgrade(engine)
    highest = max(revisions_before.values(), default=0)
    with change(engine, actor, ROLE_ADMIN, "восстановление из резервной копии", []) as current:
        restored = current.connection.execute(select(func.max(data_revisions.c.revision))).scalar() or 0
        # Above anything a running instance may have cached under, before or after the backup.
        current.connection.execute(update(data_revisions).values(revision=max(highest, restored) + 1))
        current.audit(
            "restore",
            "store",
            Path(source).name,
            None,
            {"schema": revision},
            details=f"восстановлено из «{Path(source).name}»",
        )
    return revision
