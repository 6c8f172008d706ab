"""Backup and restore on both stores: the restored store equals the one backed up, table by
table; a file that is not a backup of this schema is refused before anything changes."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import MetaData, select, text

from data_access import backup
from data_access.auth import COMMAND_LINE, Actor
from data_access.cli import EXIT_FAILED, EXIT_OK, main
from data_access.writes import PermissionDenied

# Rows the restore itself adds or raises (its audit row, the cache counters): compared apart.
RESTORE_WRITES = {"audit_log", "data_revisions"}


def _hashes(engine) -> dict[str, str]:
    """A content hash per table: its rows as text, sorted."""
    metadata = MetaData()
    metadata.reflect(engine)
    hashes = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            rows = sorted(repr(tuple(str(value) for value in row)) for row in connection.execute(select(table)))
            hashes[name] = hashlib.sha256("\n".join(rows).encode()).hexdigest()
    return hashes


def test_backup_damage_restore_gives_back_every_table(demo_engine, tmp_path):
    before = _hashes(demo_engine)
    with demo_engine.connect() as connection:
        audit_rows = connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar()
    copy = backup.backup(demo_engine, tmp_path / "copy.backup")
    assert copy.stat().st_size > 100_000
    with demo_engine.begin() as connection:  # the damage: figures lost, a name overwritten, marks gone
        connection.execute(text("DELETE FROM subscriber_snapshots WHERE day > '2026-11-01'"))
        connection.execute(text("UPDATE institutions SET short_name = 'испорчено'"))
        connection.execute(text("DELETE FROM page_checks"))
    assert _hashes(demo_engine) != before
    assert backup.restore(demo_engine, copy, COMMAND_LINE) == backup.backup_revision(demo_engine, copy)
    after = _hashes(demo_engine)
    assert {name: value for name, value in after.items() if name not in RESTORE_WRITES} == {
        name: value for name, value in before.items() if name not in RESTORE_WRITES
    }
    with demo_engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM audit_log")).scalar() == audit_rows + 1
        last = connection.execute(text("SELECT action, details FROM audit_log ORDER BY id DESC LIMIT 1")).one()
        revisions = connection.execute(text("SELECT MIN(revision) FROM data_revisions")).scalar()
    assert last.action == "restore" and "copy.backup" in last.details
    assert revisions > 0


def test_a_file_that_is_not_a_backup_of_this_store_is_refused_and_changes_nothing(demo_engine, tmp_path):
    before = _hashes(demo_engine)
    stranger = tmp_path / "notes.backup"
    stranger.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    for bad in (stranger, tmp_path / "missing.backup"):
        with pytest.raises(backup.BackupProblem, match="не резервная копия этой базы|нет"):
            backup.restore(demo_engine, bad, COMMAND_LINE)
    text_file = tmp_path / "plain.backup"
    text_file.write_text("hello")
    with pytest.raises(backup.BackupProblem, match="не резервная копия этой базы"):
        backup.restore(demo_engine, text_file, COMMAND_LINE)
    with pytest.raises(PermissionDenied):
        backup.restore(
            demo_engine,
            backup.backup(demo_engine, tmp_path / "ok.backup"),
            Actor("ivanova", "Иванова", "editor", "local"),
        )
    assert _hashes(demo_engine).items() >= {k: v for k, v in before.items() if k not in RESTORE_WRITES}.items()


def test_the_command_line_asks_for_yes_before_replacing_the_store(demo_engine, tmp_path, capsys):
    copy = tmp_path / "copy.backup"
    assert main(["backup", "--out", str(copy)], engine_factory=lambda: demo_engine) == EXIT_OK
    assert "Резервная копия записана" in capsys.readouterr().out
    assert main(["restore", str(copy)], engine_factory=lambda: demo_engine) == EXIT_FAILED
    assert "повторите команду с --yes" in capsys.readouterr().out
    assert main(["restore", str(copy), "--yes"], engine_factory=lambda: demo_engine) == EXIT_OK
    assert "База восстановлена" in capsys.readouterr().out
    assert (
        main(["backup", "--out", str(tmp_path / "no" / "such" / "folder.backup")], engine_factory=lambda: demo_engine)
        == EXIT_FAILED
    )
    assert "некуда записать" in capsys.readouterr().err
