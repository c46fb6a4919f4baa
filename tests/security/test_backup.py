"""`yigang backup` and `yigang restore`: a backup restored into an empty database holds every record and file;
a corrupted backup is refused before anything is touched."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .sites import Site


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, Path]]:
    """One source installation with the demo town and two uploads, backed up once for the module."""
    tmp = tmp_path_factory.mktemp("backup")
    source = Site(tmp, "bk_source")
    source.run("migrate", "--noinput")
    source.run("demo", "--quiet")
    uploads = source.var / "uploads" / "attachments" / "2026"
    uploads.mkdir(parents=True)
    (uploads / "检查记录.pdf").write_bytes(b"%PDF-1.4 fake inspection record\n" * 100)
    (uploads / "photo.jpg").write_bytes(bytes(range(256)) * 40)
    out = source.run("backup", "--dir", str(tmp / "backups"), "--json")
    yield source, Path(json.loads(out.stdout)["path"])
    source.drop()


@pytest.fixture
def sites(made: tuple[Site, Path], tmp_path: Path) -> Iterator[dict[str, Site]]:
    sites = {"bk_source": made[0], "bk_target": Site(tmp_path, "bk_target")}
    yield sites
    sites["bk_target"].drop()


@pytest.fixture
def backup(made: tuple[Site, Path], tmp_path: Path) -> Path:
    """A private copy of the backup, free to damage."""
    copy = tmp_path / made[1].name
    shutil.copytree(made[1], copy)
    return copy


def test_a_backup_restores_into_an_empty_database_with_every_record_and_file(
    sites: dict[str, Site], backup: Path
) -> None:
    source, target = sites["bk_source"], sites["bk_target"]
    manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"] in {"database.sqlite3", "database.pgdump"}
    assert {f["path"] for f in manifest["files"]} >= {
        "media/attachments/2026/检查记录.pdf",
        "media/attachments/2026/photo.jpg",
    }
    assert all(len(f["sha256"]) == 64 for f in manifest["files"])

    assert target.tables() == [] or "towns_town" not in target.tables()
    target.run("restore", str(backup))

    before, after = source.rows(), target.rows()
    # The source recorded its backup after taking it; the target recorded the restore: compare the rest.
    audit_before = before.pop("audit_auditentry")
    audit_after = after.pop("audit_auditentry")
    assert after == before
    assert len(audit_after) == len(audit_before)  # the restore entry replaces the backup entry
    assert sum(len(rows) for rows in after.values()) > 100
    for name in ("检查记录.pdf", "photo.jpg"):
        restored = target.var / "uploads" / "attachments" / "2026" / name
        assert restored.read_bytes() == (source.var / "uploads" / "attachments" / "2026" / name).read_bytes()
    assert "审计记录完好" in target.run("audit", "verify").stdout


def test_a_corrupted_backup_is_refused_and_nothing_is_restored(sites: dict[str, Site], backup: Path) -> None:
    broken = backup.with_name(backup.name + "-broken")
    shutil.copytree(backup, broken)
    database = next(broken.glob("database.*"))
    data = bytearray(database.read_bytes())
    data[len(data) // 2] ^= 0xFF
    database.write_bytes(bytes(data))

    target = sites["bk_target"]
    result = target.run("restore", str(broken), check=False)
    assert result.returncode != 0
    assert f"备份文件校验失败：{database.name}" in result.stderr
    assert "towns_town" not in target.tables()
    assert not (target.var / "uploads").exists()
    assert target.run("restore", "--check", str(backup)).returncode == 0


def test_a_backup_with_a_file_missing_or_added_is_refused(sites: dict[str, Site], backup: Path) -> None:
    target = sites["bk_target"]
    (backup / "media" / "attachments" / "2026" / "photo.jpg").unlink()
    assert "缺少文件" in target.run("restore", "--check", str(backup), check=False).stderr
    (backup / "extra.txt").write_text("x")
    (backup / "manifest.json").write_text("{}")
    assert "清单的校验值不符" in target.run("restore", "--check", str(backup), check=False).stderr


def test_restore_will_not_overwrite_a_database_in_use_without_force(
    sites: dict[str, Site], backup: Path
) -> None:
    source = sites["bk_source"]
    result = source.run("restore", str(backup), check=False)
    assert result.returncode != 0 and "--force" in result.stderr
