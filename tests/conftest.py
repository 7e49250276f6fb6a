"""Shared fixtures: an isolated user data folder, the catalog, valid records of every kind
and a real database file for province 44 (Quảng Trị)."""

from __future__ import annotations

import copy
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db import Database, open_database
from ctmt_desktop.services.profile import ProfileData, set_profile

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
        "funding_source": "NSDP",
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
