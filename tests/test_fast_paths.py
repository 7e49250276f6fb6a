"""The fast paths (issue 15): what they skip must not change what they answer.

- the head revision read from the migration files as text is Alembic's own, for the
  department's database and the ministry's store, and opening a current database never
  imports Alembic;
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

from ctmt_desktop import db as db_module
from ctmt_desktop.db import known_revisions, open_database
from ctmt_desktop.db.revisions import script_head, script_revisions
from ctmt_desktop.ministry import store as store_module

ROOT = Path(__file__).resolve().parent.parent


def _alembic(folder: Path) -> tuple[str | None, set[str]]:
    config = Config()
    config.set_main_option("script_location", str(folder))
    script = ScriptDirectory.from_config(config)
    return script.get_current_head(), {rev.revision for rev in script.walk_revisions()}


@pytest.mark.parametrize(
    "folder", [db_module.MIGRATIONS_DIR, store_module.MIGRATIONS_DIR], ids=["database", "store"]
)
def test_revisions_read_as_text_are_alembics(folder: Path) -> None:
    chain = script_revisions(folder)
    assert chain is not None
    assert (script_head(chain), set(chain)) == _alembic(folder)


def test_known_revisions_follow_the_migrations_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    head, known = known_revisions()
    assert (head, known) == _alembic(db_module.MIGRATIONS_DIR)
    later = tmp_path / "migrations"
    (later / "versions").mkdir(parents=True)
    for file in (db_module.MIGRATIONS_DIR / "versions").glob("*.py"):
        (later / "versions" / file.name).write_text(file.read_text(encoding="utf-8"))
    (later / "versions" / "9100_later.py").write_text(
        f"revision: str = \"9100\"\ndown_revision = '{head}'  # the one before\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(db_module, "MIGRATIONS_DIR", later)
    assert known_revisions() == ("9100", known | {"9100"})


def test_a_folder_beyond_the_text_reader_is_left_to_alembic(tmp_path: Path) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    (versions / "a.py").write_text('revision = "a"\ndown_revision = None\n', encoding="utf-8")
    (versions / "b.py").write_text('revision = "b"\ndown_revision = "a"\n', encoding="utf-8")
    (versions / "c.py").write_text('revision = "c"\ndown_revision = "a"\n', encoding="utf-8")
    assert script_head(script_revisions(tmp_path)) is None  # two heads
    (versions / "c.py").write_text('revision = "c"\ndown_revision = ("a", "b")\n')
    assert script_revisions(tmp_path) is None  # a merge


def test_opening_a_current_database_does_not_import_alembic(tmp_path: Path) -> None:
    path = tmp_path / "ctmt.sqlite3"
    open_database(path).close()
    probe = (
        "import sys; from pathlib import Path; from ctmt_desktop.db import open_database; "
        f"open_database(Path({str(path)!r})).close(); "
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
