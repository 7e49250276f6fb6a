"""A national desk to try: provinces' demo databases, their signed packages, received.

:func:`build_demo` makes, for ``provinces`` provinces, a province database with demo records
of the reported period (``generate_demo(since=…)``), a throwaway self-issued identity
registered at the ministry from its fingerprint (as the printed form would give it), an
approved period and its signed package, and receives them all into the store, with the
variety a ministry sees: most on time, some late, one resubmitted as version 2, one signed by
a key nobody registered (refused), the rest of the 34 provinces missing.

The same steps serve the tests and the benchmarks (:class:`ProvinceKit`). Signing times are
set in the reported period's calendar (``build_package(now=…)``) so that on-time and late
packages can be shown whatever today's date is.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric import ec

from ctmt_desktop.accounts import Actor
from ctmt_desktop.catalog import Catalog, load_catalog
from ctmt_desktop.db import open_database
from ctmt_desktop.demo import generate_demo
from ctmt_desktop.ministry.deadlines import deadline_moment
from ctmt_desktop.ministry.intake import IntakeResult, receive
from ctmt_desktop.ministry.registry import register_signer
from ctmt_desktop.ministry.store import Store, init_store
from ctmt_desktop.package.build import build_package, package_file_name
from ctmt_desktop.periods import parse_period
from ctmt_desktop.services import approval
from ctmt_desktop.services.profile import ProfileData, set_profile
from ctmt_desktop.signing.identity import (
    fingerprint_sha256,
    pkcs12_signer,
    self_issued_certificate,
    write_pkcs12,
)

DEMO_MINISTRY = "Bộ Văn hóa, Thể thao và Du lịch"
DEMO_PASSPHRASE = "demo-passphrase"
#: Provinces taken first (a spread over the country), then the rest in catalog order.
_FIRST = ("44", "46", "01", "79", "48", "68", "11", "56", "82", "92", "04", "38")


@dataclass
class ProvinceKit:
    """A province's demo database and signing identity, in ``folder``."""

    code: str
    name: str
    folder: Path
    db_path: Path
    p12: Path
    certificate_pem: Path
    fingerprint: str
    actor: Actor = field(default_factory=lambda: Actor("demo", "approver"))

    def signer(self):  # noqa: ANN201 - a pyHanko signer
        return pkcs12_signer(self.p12, DEMO_PASSPHRASE)

    def package(
        self,
        period: str,
        out_dir: Path,
        *,
        signed_at: datetime | None = None,
        signer_kit: ProvinceKit | None = None,
        max_part_size: int | None = None,
    ) -> Path:
        """Approve ``period`` (reopening it first when packaged already) and build its signed
        package in ``out_dir``; return the zip (or its first part)."""
        moment = signed_at or datetime.now(UTC)
        database = open_database(self.db_path)
        try:
            with database.session() as session:
                naive = moment.replace(tzinfo=None)
                state = approval.get_approval(session, period)
                if state is not None and state.approved and state.locked:
                    approval.reopen_period(
                        session,
                        self.actor,
                        period,
                        "corrections asked by the ministry",
                        now=naive - timedelta(hours=2),
                    )
                    state = approval.get_approval(session, period)
                if state is None or not state.approved:
                    approval.approve_period(
                        session,
                        self.actor,
                        period,
                        now=naive - timedelta(hours=1),
                        confirm_drafts=True,  # the demo's drafts, confirmed as approved
                    )
                version, _ = approval.next_version(session, period)
                out = out_dir / package_file_name(self.name, parse_period(period).code, version)
                result = build_package(
                    session,
                    self.actor,
                    period,
                    (signer_kit or self).signer(),
                    out,
                    db_path=self.db_path,
                    now=moment,
                    max_part_size=max_part_size,
                )
        finally:
            database.close()
        return result.path


def make_province(
    folder: Path,
    code: str,
    *,
    catalog: Catalog,
    records: int,
    seed: int = 1,
    since: datetime | None = None,
    identity_from: datetime | None = None,
) -> ProvinceKit:
    """A province database with demo records and a self-issued identity in ``folder``."""
    unit = catalog.admin.get(code)
    if unit is None or unit.level != "province":
        raise ValueError(f"{code!r} is not a province code")
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / f"province-{code}.sqlite3"
    place = _lower_type(unit.name)
    agency = f"Sở Văn hóa, Thể thao và Du lịch {place}"
    database = open_database(db_path)
    try:
        with database.session() as session:
            set_profile(
                session,
                ProfileData(
                    name=agency,
                    province_code=code,
                    parent_body=f"Ủy ban nhân dân {place}",
                    receiving_ministry=DEMO_MINISTRY,
                ),
                catalog,
                user="demo",
            )
        generate_demo(
            database,
            records=records,
            seed=seed,
            catalog=catalog,
            since=since.date() if since is not None else None,
        )
    finally:
        database.close()
    key = ec.generate_private_key(ec.SECP256R1())
    cert = self_issued_certificate(
        key,
        f"Văn thư Sở VHTTDL {unit.name}"[:64],
        organization=agency,
        province=unit.name,
        not_before=identity_from,
        valid_days=5 * 365,
    )
    p12 = write_pkcs12(folder / f"province-{code}.p12", key, cert, DEMO_PASSPHRASE)
    from cryptography.hazmat.primitives import serialization

    pem = folder / f"province-{code}.pem"
    pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return ProvinceKit(code, unit.name, folder, db_path, p12, pem, fingerprint_sha256(cert))


def _lower_type(name: str) -> str:
    """``tỉnh Quảng Trị``, ``thành phố Huế``: the unit's type in lower case, as in a title."""
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return prefix.lower() + name[len(prefix) :]
    return name


def demo_provinces(catalog: Catalog, count: int) -> list[str]:
    """``count`` province codes: a spread over the country first, then catalog order."""
    codes = [unit.code for unit in catalog.admin.provinces()]
    ordered = [code for code in _FIRST if code in codes]
    ordered += [code for code in codes if code not in ordered]
    return ordered[: max(0, min(count, len(ordered)))]


@dataclass
class DemoResult:
    provinces: list[ProvinceKit]
    results: list[IntakeResult]
    folder: Path


def build_demo(
    store: Store,
    folder: Path,
    *,
    provinces: int,
    period: str,
    records: int = 300,
    user: str = "demo",
    catalog: Catalog | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoResult:
    """Make ``provinces`` provinces' packages for ``period`` in ``folder`` and receive them
    into ``store`` (see the module docstring)."""
    catalog = catalog or load_catalog()
    parsed = parse_period(period)
    if not store.name():
        init_store(store, DEMO_MINISTRY, user=user)
    limit = deadline_moment(catalog, parsed.code) or datetime(
        parsed.end.year, parsed.end.month, parsed.end.day, tzinfo=UTC
    ) + timedelta(days=30)
    start = datetime(parsed.start.year, parsed.start.month, parsed.start.day, tzinfo=UTC)
    codes = demo_provinces(catalog, provinces)
    inbox = folder / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    kits: list[ProvinceKit] = []
    for index, code in enumerate(codes):
        if progress is not None:
            progress(f"{code} {catalog.admin.get(code).name}")  # type: ignore[union-attr]
        kit = make_province(
            folder / f"p{code}",
            code,
            catalog=catalog,
            # The demo spreads records over 2021-2026: about a quarter fall in a year.
            records=max(records * 4 * (12 // _months(parsed)), 8),
            seed=int(code) + 1,
            since=start,
            identity_from=start - timedelta(days=30),
        )
        kits.append(kit)
        # Signing times: most before the deadline (within its last weeks), every third late.
        if index % 3 == 2:
            signed = limit + timedelta(days=1 + index % 9, hours=3)
        else:
            signed = limit - timedelta(days=2 + (index * 7) % 25, hours=index % 8)
        signed = max(signed, start + timedelta(days=30))
        last = index == len(codes) - 1 and len(codes) >= 3
        if not last:
            with store.session() as session:
                register_signer(
                    session,
                    catalog,
                    province=code,
                    certificate=kit.certificate_pem,
                    fingerprint=kit.fingerprint,
                    user=user,
                    now=datetime.now(UTC),
                )
        kit.package(parsed.code, inbox, signed_at=signed)
        if index == 1:  # resubmitted after the ministry's remarks: version 2
            kit.package(parsed.code, inbox, signed_at=signed + timedelta(days=6))
    results = receive(store, [inbox], user=user, catalog=catalog)
    return DemoResult(kits, results, folder)


def _months(period: Any) -> int:
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def new_secret() -> str:
    return secrets.token_urlsafe(12)
