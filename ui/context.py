"""What every page of the window shares: the open database, its lane, the catalog, the
agency, the user, and a way to ask the window to show another page."""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.db import Database
from ctmt_desktop.evidence import EvidenceStore
from ctmt_desktop.paths import evidence_dir
from ctmt_desktop.roles import Actor
from ctmt_desktop.services.records import RecordContext
from ui.db_lane import DbLane

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class Navigator(QObject):
    """Signals:
    navigate(str, dict): show the page ``key`` (``dashboard``, a kind code such as
        ``training``, ``targets``, ``reports``, ``submissions``, ``settings``) and apply
        ``params`` to it (e.g. ``{"period": "2024", "program": "GNBV21", "ids": [...]}``).
    data_changed(): records, targets or the profile changed; visible pages refresh.
    """

    navigate = Signal(str, dict)
    data_changed = Signal()


@dataclass
class AppContext:
    """Shared state of one open database.

    Attributes:
        database: the open database (GUI-thread reads use ``database.session()``).
        lane: the single lane for writes and long work.
        catalog: the loaded catalog.
        province: the department's current province code.
        agency_name: the agency profile's name (for titles and reports).
        user: who is working (the login name until accounts exist).
        language: ``vi`` or ``en``.
        navigator: page-to-page requests.
        actor: the logged-in account (None while the database has no accounts: then
            ``user`` is the login name of the computer and roles are not checked).
    """

    database: Database
    lane: DbLane
    catalog: Catalog
    province: str
    agency_name: str
    user: str = field(default_factory=getpass.getuser)
    language: str = "vi"
    navigator: Navigator = field(default_factory=Navigator)
    extra: dict[str, Any] = field(default_factory=dict)
    actor: Actor | None = None

    @property
    def evidence(self) -> EvidenceStore:
        return EvidenceStore(evidence_dir(self.database.path))

    def record_context(self, session: Session) -> RecordContext:
        """The services' context for writes made in ``session`` (on the lane)."""
        del session  # the context does not depend on the session; kept for call symmetry
        return RecordContext(
            self.catalog, self.province, self.user, self.evidence, actor=self.actor
        )
