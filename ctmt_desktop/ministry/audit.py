"""The national store's audit trail: who registered, received, refused or reviewed what."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ctmt_desktop.ministry.models import StoreAudit


def log(
    session: Session,
    user: str,
    action: str,
    summary: str,
    *,
    province: str | None = None,
    period: str | None = None,
    package_id: str | None = None,
    detail: Mapping[str, Any] | None = None,
    at: datetime | None = None,
) -> None:
    """Add an entry in ``session``'s unit of work (it commits or rolls back with the change)."""
    session.add(
        StoreAudit(
            at=at or datetime.now(),
            user=user,
            action=action,
            province=province,
            period=period,
            package_id=package_id,
            summary=summary,
            detail=dict(detail or {}),
        )
    )
