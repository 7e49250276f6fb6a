"""Shared fixtures: an isolated user data folder, the catalog, valid records of every kind
a real database file for province 44 (Quảng Trị), and empty stores on SQLite and PostgreSQL
(``store_url``, ``pg_url``, ``pg_server``)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.services.profile import ProfileData, set_profile

if TYPE_CHECKING:
    from ctmt_desktop.ministry.demo import ProvinceKit

# GUI tests run without a display; set before any Qt import (pytest-qt imports Qt lazily).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The department's province in every test: Quảng Trị (merged with old Quảng Bình in 2025).
PROVINCE = "44"
#: A current commune of province 44 that absorbed the legacy commune old:19456 (Xã Tân Thành).
LAO_BAO = "19432"

_VALID_RECORDS: dict[str, dict[str, Any]] = {
    "training": {
        "program": "GNBV21.DA6.TDA1.ND1",
        "title": "Tập huấn kỹ năng thông tin cơ sở",
        "start_date": "2024-03-05",
        "end_date": "2024-03-07",
        "places": [LAO_BAO],
        "implementing_unit": "Trung tâm Văn hóa tỉnh",
        "funding_source": "NSTW",
        "days": 3,
        "form": "in_person",
        "target_group": "grassroots_info_staff",
        "participants": 50,
        "participants_female": 20,
        "participants_ethnic": 15,
        "participants_commune": 30,
        "participants_village": 20,
        "material_type": "print",
        "cost": 45_000_000,
    },
    "event": {
        "program": "GNBV21.DA6.TDA2.ND1",
        "title": "Đối thoại chính sách giảm nghèo",
        "start_date": "2024-05-10",
        "places": [LAO_BAO],
        "funding_source": "NSDP",
        "event_type": "policy_dialogue",
        "sessions": 2,
        "participants": 80,
        "participants_female": 30,
        "participants_ethnic": 25,
        "participants_poor": 40,
    },
    "media": {
        "program": "GNBV21.DA6.TDA2.ND2",
        "title": "Chương trình phát thanh tiếng Bru - Vân Kiều",
        "start_date": "2024-04-01",
        "places": [PROVINCE],
        "funding_source": "NSTW",
        "media_type": "radio_programme",
        "quantity": 12,
        "quantity_unit": "programme",
        "duration_minutes": 15,
        "language": "bru_van_kieu",
        "outlet": "Đài Phát thanh - Truyền hình tỉnh",
        "unit_cost": 3_000_000,
    },
    "cluster": {
        "program": "GNBV21.DA6.TDA1.ND2",
        "title": "Cụm thông tin điện tử công cộng cửa khẩu Lao Bảo",
        "start_date": "2023-09-01",
        "places": [LAO_BAO],
        "funding_source": "NSTW",
        "cluster_type": "border_gate",
        "border_gate": "Cửa khẩu quốc tế Lao Bảo",
        "cluster_status": "operating",
        "year_in_service": 2023,
        "investment": 1_500_000_000,
    },
    "radio": {
        "program": "NTM21.TC8.83",
        "title": "Nâng cấp đài truyền thanh xã Lao Bảo",
        "start_date": "2024-06-15",
        "places": [LAO_BAO],
        "funding_source": "LONGGHEP",
        "technology": "it_telecom",
        "loudspeaker_clusters": 12,
        "hamlets": 10,
        "hamlets_covered": 8,
        "connected_to_province": True,
    },
    "device": {
        "program": "GNBV16.DA4.C5",
        "title": "Hỗ trợ ti vi cho hộ nghèo",
        "start_date": "2019-06-01",
        "places": ["old:45"],
        "funding_source": "NSTW",
        "device_type": "tv",
        "quantity": 100,
        "beneficiary_group": "poor",
    },
    "criterion": {
        "program": "NTM21.TC8",
        "title": "Đánh giá tiêu chí 8 xã Lao Bảo",
        "places": [LAO_BAO],
        "year": 2024,
        "criterion_set": "QD318_TC8",
        "indicators": {"8.1": True, "8.2": True, "8.3": True, "8.4": True},
    },
    "funding": {
        "program": "GNBV21.DA6.TDA1",
        "title": "Kế hoạch vốn sự nghiệp 2024",
        "places": [PROVINCE],
        "funding_source": "NSTW",
        "year": 2024,
        "funding_type": "recurrent",
        "plan_amount": 1_000_000_000,
        "disbursed_amount": 600_000_000,
        "as_of": "2024-09-30",
    },
}


@pytest.fixture(autouse=True)
def _isolated_user_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No test touches the real user folder (installed catalogs, default database)."""
    data = tmp_path / "data"
    monkeypatch.setenv("CTMT_DATA_DIR", str(data))
    return data


@pytest.fixture(autouse=True)
def _cli_settings_in_tmp(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """The window's settings file, where ``ctmt`` reads the interface language
    (:func:`ctmt_desktop.cli.messages.settings_file`), lies in a temporary folder in every test,
    never the user's, and says English: the tests of the command line's English lines keep
    them. The tests of its Vietnamese (the default) remove or rewrite it."""
    # Beside the test's folder (tests list theirs), not where Qt looks (Qt tests keep theirs).
    path = tmp_path_factory.mktemp("cli-settings") / "window-settings.ini"
    path.write_text("[General]\nlanguage=en\n", encoding="utf-8")
    monkeypatch.setenv("CTMT_SETTINGS_FILE", str(path))
    return path


@pytest.fixture(autouse=True)
def _qt_settings_in_tmp(tmp_path: Path) -> None:
    """The app's Qt settings (window layout, columns, the signing identity chosen…) go to a
    temporary folder in every test once Qt is loaded, never to the user's; the core's tests
    never load Qt for it."""
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QSettings

    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def make_record() -> Callable[..., dict[str, Any]]:
    """``make_record(kind, **changes)``: a valid record of ``kind`` for province 44.

    A change to ``None`` removes the field.
    """

    def build(kind: str, **changes: Any) -> dict[str, Any]:
        data = copy.deepcopy(_VALID_RECORDS[kind])
        for name, value in changes.items():
            if value is None:
                data.pop(name, None)
            else:
                data[name] = value
        return data

    return build


@pytest.fixture
def database(tmp_path: Path, catalog: Catalog) -> Iterator[Database]:
    """A fresh database file in ``tmp_path`` with an agency profile for province 44."""
    db = open_database(tmp_path / "ctmt.sqlite3")
    try:
        with db.session() as session:
            set_profile(session, ProfileData("Sở Văn hóa, Thể thao và Du lịch", PROVINCE), catalog)
        yield db
    finally:
        db.close()


# --- GUI helpers (Qt imported inside, so the core's tests never load it) ----------------------
@pytest.fixture
def running_app(qapp: Any) -> Iterator[Any]:
    """The app for tests that run ``ui.app.main()`` and end its loop with ``exit(0)``.

    Closing the last window posts a Quit event; one left pending would end the next test's
    loop at once, so these tests end the loop themselves.
    """
    qapp.setQuitOnLastWindowClosed(False)
    yield qapp
    qapp.setQuitOnLastWindowClosed(True)


def when_shown(widget_type: type, act: Callable[[Any], None]) -> None:
    """Call ``act(widget)`` once a top-level ``widget_type`` is visible (while main() runs)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, widget_type) and widget.isVisible():
                act(widget)
                return
        QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def demo_main_window(
    qtbot: Any, database: Database, catalog: Catalog, *, records: int, seed: int
) -> Iterator[Any]:
    """The main window, shown in English, over ``database`` filled with ``records`` demo
    records; its db lane idle and shut down afterwards (for a fixture to yield from)."""
    from ctmt_desktop.demo import generate_demo
    from ctmt_desktop.services.profile import current_profile
    from ui.context import AppContext
    from ui.db_lane import DbLane
    from ui.main_window import MainWindow

    generate_demo(database, records=records, seed=seed, catalog=catalog)
    lane = DbLane(database)
    with database.session() as session:
        profile = current_profile(session)
    assert profile is not None
    context = AppContext(
        database, lane, catalog, profile.province_code, profile.name, language="en"
    )
    shown = MainWindow(context)
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    lane.wait_idle()
    lane.shutdown()


# --- PostgreSQL (the ministry's national store) ------------------------------------------------
# ``store_url`` runs a test on SQLite and on a real PostgreSQL server: a throwaway one that
# tests/pgserver.py starts once per session, or the server that ``CTMT_TEST_PG_URL`` names
# (a superuser URL such as postgresql+psycopg://postgres@127.0.0.1:5432/postgres; the tests fail
# when it cannot be reached). When no server can be started, the tests are skipped on a
# developer's machine and fail under CI (env CI set, other than 0/false/no).
def _postgres_missing(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
        pytest.fail(f"PostgreSQL is required under CI: {reason}", pytrace=False)
    pytest.skip(f"no PostgreSQL server: {reason}")


def _psycopg_conninfo(url: str) -> str:
    """libpq's form of a SQLAlchemy URL (postgresql+psycopg://… → postgresql://…)."""
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL superuser URL, ``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``."""
    import psycopg
    from sqlalchemy.engine import make_url

    given = os.environ.get("CTMT_TEST_PG_URL")
    if given:
        url = make_url(given)
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        url_text = url.render_as_string(hide_password=False)
        problem = None
        try:
            psycopg.connect(_psycopg_conninfo(url_text), connect_timeout=10).close()
        except psycopg.Error as error:
            problem = str(error)
        if problem is not None:  # a server named outright must work, CI or not
            pytest.fail(f"CTMT_TEST_PG_URL: cannot connect: {problem}", pytrace=False)
        yield url_text
        return

    from pgserver import PostgresUnavailable, start

    try:
        server = start()
    except (PostgresUnavailable, OSError, subprocess.SubprocessError) as error:
        problem = str(error) or type(error).__name__
    else:
        problem = None
    if problem is not None:  # outside the except block: a plain message, no chained traceback
        _postgres_missing(problem)
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh empty UTF-8 database on ``pg_server`` (URL for SQLAlchemy), dropped afterwards."""
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    name = f"ctmt_test_{uuid.uuid4().hex[:16]}"
    admin = _psycopg_conninfo(pg_server)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            force = " WITH (FORCE)" if connection.info.server_version >= 130000 else ""
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"{force}')


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)],
    ids=["sqlite", "postgresql"],
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A SQLAlchemy URL of an empty database: a SQLite file, then a fresh PostgreSQL one."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'store.sqlite3').as_posix()}"
    return request.getfixturevalue("pg_url")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses ``pg_url`` or ``pg_server`` itself is marked ``postgresql`` too."""
    for item in items:
        if {"pg_url", "pg_server"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgresql)


# --- the ministry: provinces' signed packages --------------------------------------------------
MINISTRY_PERIOD = "2025"
#: Signed in the reported period's calendar: on time is before 1 December 2025 (UTC+7).
ON_TIME = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
LATE = datetime(2025, 12, 3, 9, 0, tzinfo=UTC)


@dataclass
class MinistryPackages:
    qt: ProvinceKit  # Quảng Trị (44)
    hue: ProvinceKit  # Huế (46)
    qt_v1: Path
    qt_v2: Path
    hue_v1: Path
    hue_by_qt_key: Path  # Huế's package signed with Quảng Trị's key
    tampered: Path
    parts: list[Path]  # Huế v2 in numbered parts


@pytest.fixture(scope="session")
def ministry_packages(tmp_path_factory: pytest.TempPathFactory) -> MinistryPackages:
    """Quảng Trị's and Huế's 2025 packages (made once): Quảng Trị v1 and v2, Huế v1 signed late,
    Huế's next version signed with Quảng Trị's key, a tampered copy of Huế v1, and Huế's
    version after that in numbered parts."""
    from ctmt_desktop.ministry.demo import make_province

    catalog = load_catalog()
    root = tmp_path_factory.mktemp("provinces")
    start = datetime(2025, 1, 1, tzinfo=UTC)
    qt = make_province(
        root / "qt",
        "44",
        catalog=catalog,
        records=500,
        seed=3,
        since=start,
        identity_from=start - timedelta(days=10),
    )
    hue = make_province(
        root / "hue",
        "46",
        catalog=catalog,
        records=500,
        seed=4,
        since=start,
        identity_from=start - timedelta(days=10),
    )
    out = root / "out"
    out.mkdir()
    qt_v1 = qt.package(MINISTRY_PERIOD, out, signed_at=ON_TIME)
    qt_v2 = qt.package(MINISTRY_PERIOD, out, signed_at=ON_TIME + timedelta(days=3))
    hue_v1 = hue.package(MINISTRY_PERIOD, out, signed_at=LATE)
    foreign_dir = root / "foreign"
    foreign_dir.mkdir()
    hue_by_qt_key = hue.package(
        MINISTRY_PERIOD, foreign_dir, signed_at=LATE + timedelta(days=1), signer_kit=qt
    )
    tampered = root / "tampered.zip"
    with zipfile.ZipFile(hue_v1) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "bag/data/audit.json":
                data = data.replace(b"demo", b"DEMO", 1)
            target.writestr(info, data)
    parts_dir = root / "parts"
    parts_dir.mkdir()
    first = hue.package(
        MINISTRY_PERIOD, parts_dir, signed_at=LATE + timedelta(days=5), max_part_size=64 * 1024
    )
    parts = sorted(parts_dir.iterdir())
    assert first == parts[0] and len(parts) > 1
    return MinistryPackages(qt, hue, qt_v1, qt_v2, hue_v1, hue_by_qt_key, tampered, parts)


def open_ministry_desk(url: str, packages: MinistryPackages) -> Any:
    """The national store at ``url``, named, with Quảng Trị's and Huế's certificates
    registered from their fingerprints (the caller closes it)."""
    from ctmt_desktop.ministry.registry import register_signer
    from ctmt_desktop.ministry.store import init_store, open_store

    catalog = load_catalog()
    store = open_store(url)
    init_store(store, "Bộ Văn hóa, Thể thao và Du lịch", user="test")
    with store.session() as session:
        for kit in (packages.qt, packages.hue):
            register_signer(
                session,
                catalog,
                province=kit.code,
                certificate=kit.certificate_pem,
                fingerprint=kit.fingerprint,
                user="test",
            )
    return store
