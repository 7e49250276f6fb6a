"""Audit entries told in the interface language.

The core stores each entry as data (action, kind, id, period, the values before and after)
with an English sentence, and keeps both for good: the trail is append-only and travels in
packages as ``audit.json``. The audit page does not show that sentence as its summary: it
tells each entry again from its data with translated strings (:meth:`AuditText.summary`)
and lists its values under their field labels, formatted like the rest of the app
(:meth:`AuditText.details`). An entry this module cannot tell (an action added later, data
of another shape) keeps its stored sentence; the page shows the stored sentence too.

What the writers store (see each ``audit.record`` call of the core):

- records (``create``/``update``/``delete``): the record as ``record_to_dict`` gives it;
  ``import``: ``{"count", "ids", "source"}``, the source being "file, sheet 'x', rows a-b";
- ``approve``/``reopen`` (kind ``period``, id the period code): the approval state
  (``status``, ``approved_by``, ``approved_at``, ``locked``, ``reopen_reason``);
  ``package``: version, records, parts, file, signer…;
- accounts (id the user name): the account (``username``, ``full_name``, ``role``,
  ``active``, ``must_change_password``); ``login_failed``: ``reason`` and perhaps
  ``failed_attempts`` and ``locked_until``;
- ``profile``: the agency profile; ``target``: the target before and after (None when set
  or deleted); ``backup``: ``file``, ``records``; ``restore``: ``file``, ``kept``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QObject

from ctmt_desktop.catalog import Catalog
from ctmt_desktop.formatting import format_date, format_money, format_number
from ctmt_desktop.kinds import (
    COMMON_FIELDS,
    KIND_CODES,
    PROGRAM,
    FieldSpec,
    FieldType,
    kind_spec,
)
from ctmt_desktop.signing.identity import format_fingerprint
from ui.dashboard_page import value_text
from ui.login import role_name
from ui.records_model import available_fields
from ui.targets_page import indicator_unit, period_label

# What the core's spreadsheet import writes as the source of a batch.
_IMPORT_SOURCE = re.compile(
    r"^(?P<file>.+), sheet '(?P<sheet>.*)', rows (?P<first>\d+)-(?P<last>\d+)$"
)
# Longest record title (or reason) quoted in a summary; the details show it whole.
TITLE_MAX = 80
# Changed fields named in the summary of an update (the rest are counted).
FIELDS_NAMED = 4
# Runs of ids (``#12–#40``) shown for a batch; the rest as "…".
ID_RUNS_SHOWN = 5
# Keys of a stored record that are bookkeeping, not fields the user changed.
_BOOKKEEPING = frozenset({"id", "place_names", "created_at", "created_by", "updated_at",
                          "updated_by"})  # fmt: skip
_DATETIME_KEYS = frozenset({"created_at", "updated_at", "approved_at", "locked_until"})
_DATE_KEYS = frozenset({"valid_from", "valid_to"})
_COUNT_KEYS = frozenset({"count", "records", "parts", "failed_attempts"})


@dataclass(frozen=True)
class DetailRow:
    """One line of an entry's details: a field's label, its values before and after as
    text, and whether the value changed (only when the entry has both)."""

    name: str
    label: str
    before: str
    after: str
    changed: bool


def _shortened(text_or_none: object) -> str:
    text = str(text_or_none or "").strip()
    return text if len(text) <= TITLE_MAX else text[: TITLE_MAX - 1] + "…"


def _file_name(path: object) -> str:
    """The last part of a path written on any system (``C:\\x\\y.zip`` -> ``y.zip``)."""
    return re.split(r"[\\/]", str(path or ""))[-1]


def _datetime_text(value: object) -> str:
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{format_date(moment.date())} {moment:%H:%M}"


def _date_text(value: object) -> str:
    try:
        return format_date(date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


class AuditText(QObject):
    """Summaries and detail rows of audit entries (as ``entry_to_dict`` gives them) in the
    interface language; names of catalog codes come from ``catalog`` when given."""

    def __init__(
        self, catalog: Catalog | None = None, language: str = "vi", parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.language = language
        self._summaries: dict[str, Callable[[Mapping[str, Any]], str | None]] = {
            "create": self._create,
            "update": self._update,
            "delete": self._delete,
            "import": self._import,
            "approve": self._approve,
            "reopen": self._reopen,
            "package": self._package,
            "login": self._login,
            "login_failed": self._login_failed,
            "logout": self._logout,
            "password_change": self._password_change,
            "password_reset": self._password_reset,
            "account_create": self._account_create,
            "account_update": self._account_update,
            "profile": self._profile,
            "target": self._target,
            "backup": self._backup,
            "restore": self._restore,
            "receipt": self._receipt,
            "ministry_certificate": self._ministry_certificate,
        }

    # --- summaries ---------------------------------------------------------------------------
    def summary(self, entry: Mapping[str, Any]) -> str:
        """The entry in one sentence of the interface language (the stored one when the
        entry's action or data is not one this module knows)."""
        return self.told(entry) or str(entry.get("summary") or "")

    def told(self, entry: Mapping[str, Any]) -> str | None:
        """The entry told from its data in the interface language; None when its action or
        data is not one this module knows."""
        describe = self._summaries.get(str(entry.get("action")))
        if describe is None:
            return None
        try:
            return describe(entry) or None
        except (AttributeError, KeyError, LookupError, TypeError, ValueError):
            return None

    def records_text(self, count: int) -> str:
        """``1 record``, ``1.234 records`` (translated)."""
        if count == 1:
            return self.tr("1 record")
        return self.tr("{count} records").format(count=format_number(count))

    def kind_name(self, kind: str | None) -> str:
        return kind_spec(kind).name(self.language) if kind in KIND_CODES else str(kind or "")

    def _create(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        return self.tr("Added record #{id}: {title}").format(
            id=entry["entity_id"], title=_shortened(after["title"])
        )

    def _delete(self, entry: Mapping[str, Any]) -> str:
        before = entry["before"]
        return self.tr("Deleted record #{id}: {title}").format(
            id=entry["entity_id"], title=_shortened(before["title"])
        )

    def _update(self, entry: Mapping[str, Any]) -> str:
        before, after = entry["before"], entry["after"]
        title = _shortened(after["title"])
        names = [
            name
            for name in _ordered_keys(before, after)
            if name not in _BOOKKEEPING and before.get(name) != after.get(name)
        ]
        if not names:
            return self.tr("Saved record #{id} without changes: {title}").format(
                id=entry["entity_id"], title=title
            )
        labels = [self.label(entry.get("kind"), name) for name in names[:FIELDS_NAMED]]
        fields = ", ".join(labels)
        if len(names) > FIELDS_NAMED:
            fields = self.tr("{fields} and {count} more").format(
                fields=fields, count=len(names) - FIELDS_NAMED
            )
        return self.tr("Changed record #{id}: {title}; changed: {fields}").format(
            id=entry["entity_id"], title=title, fields=fields
        )

    def _import(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        count = after.get("count")
        if not isinstance(count, int):
            count = len(after["ids"])
        records = self.records_text(count)
        kind = self.kind_name(entry.get("kind"))
        source = after.get("source")
        if not source:
            return self.tr("Imported {records} of {kind}").format(records=records, kind=kind)
        return self.tr("Imported {records} of {kind} from {source}").format(
            records=records, kind=kind, source=self.source_text(source)
        )

    def source_text(self, source: object) -> str:
        """Where an import came from: "file X, sheet “Y”, rows 2–37" (translated)."""
        match = _IMPORT_SOURCE.match(str(source))
        if match is None:
            return str(source)
        return self.tr("the file {file}, sheet “{sheet}”, rows {first}–{last}").format(
            **match.groupdict()
        )

    def _approve(self, entry: Mapping[str, Any]) -> str:
        return self.tr("Approved the data of period {period}").format(period=entry["entity_id"])

    def _reopen(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"] if isinstance(entry["after"], dict) else {}
        reason = after.get("reopen_reason")
        if not reason:
            return self.tr("Reopened period {period}").format(period=entry["entity_id"])
        return self.tr("Reopened period {period}; reason: {reason}").format(
            period=entry["entity_id"], reason=_shortened(reason)
        )

    def _package(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        return self.tr(
            "Made the data package of period {period}, version {version} ({records}); "
            "the period is locked"
        ).format(
            period=entry["entity_id"],
            version=after["version"],
            records=self.records_text(int(after["records"])),
        )

    def _login(self, entry: Mapping[str, Any]) -> str:
        return self.tr("“{name}” logged in").format(name=_account_name(entry))

    def _logout(self, entry: Mapping[str, Any]) -> str:
        return self.tr("“{name}” logged out").format(name=_account_name(entry))

    def _login_failed(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        text = self.tr("Failed login as “{name}”: {reason}").format(
            name=_account_name(entry), reason=self.reason_text(after["reason"])
        )
        attempts = after.get("failed_attempts")
        if isinstance(attempts, int) and attempts > 0:
            text += self.tr(" (failed attempt {count})").format(count=attempts)
        if after.get("locked_until"):
            text += self.tr("; locked until {time}").format(
                time=_datetime_text(after["locked_until"])
            )
        return text

    def reason_text(self, reason: object) -> str:
        """Why a login failed, translated (the core's words when unknown)."""
        reasons = {
            "unknown user name": self.tr("unknown user name"),
            "wrong password": self.tr("wrong password"),
            "account locked": self.tr("the account is locked for a while"),
            "account deactivated": self.tr("the account is deactivated"),
        }
        return reasons.get(str(reason), str(reason))

    def _password_change(self, entry: Mapping[str, Any]) -> str:
        return self.tr("“{name}” changed their password").format(name=_account_name(entry))

    def _password_reset(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"] if isinstance(entry["after"], dict) else {}
        if after.get("must_change_password"):
            return self.tr(
                "Reset the password of “{name}”; it must be changed at the next login"
            ).format(name=_account_name(entry))
        return self.tr("Reset the password of “{name}”").format(name=_account_name(entry))

    def _account_create(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        role = role_name(str(after["role"]))
        if after.get("full_name"):
            return self.tr(
                "Created the account “{name}” ({full_name}) with the role {role}"
            ).format(name=_account_name(entry), full_name=after["full_name"], role=role)
        return self.tr("Created the account “{name}” with the role {role}").format(
            name=_account_name(entry), role=role
        )

    def _account_update(self, entry: Mapping[str, Any]) -> str | None:
        before, after = entry["before"], entry["after"]
        name = _account_name(entry)
        parts = []
        if before.get("role") != after.get("role"):
            parts.append(
                self.tr("Account “{name}”: role {old} → {new}").format(
                    name=name,
                    old=role_name(str(before.get("role"))),
                    new=role_name(str(after.get("role"))),
                )
            )
        if before.get("active") != after.get("active"):
            if after.get("active"):
                parts.append(self.tr("Reactivated the account “{name}”").format(name=name))
            else:
                parts.append(self.tr("Deactivated the account “{name}”").format(name=name))
        if before.get("full_name") != after.get("full_name"):
            parts.append(
                self.tr("Account “{name}”: full name changed to “{full_name}”").format(
                    name=name, full_name=after.get("full_name") or ""
                )
            )
        return "; ".join(parts) or None

    def _profile(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        return self.tr("Saved the agency profile: {name}, valid from {day}").format(
            name=after["name"], day=_date_text(after["valid_from"])
        )

    def _target(self, entry: Mapping[str, Any]) -> str:
        before, after = entry["before"], entry["after"]
        target = after if isinstance(after, dict) else before
        names = {
            "indicator": self.indicator_name(target["indicator"]),
            "program": target["program"],
            "period": period_label(str(target["period"])),
        }
        if not isinstance(after, dict):
            return self.tr("Deleted the target “{indicator}” of {program}, {period}").format(
                **names
            )
        value = self.target_value(after)
        if not isinstance(before, dict):
            return self.tr("Set the target “{indicator}” of {program}, {period}: {value}").format(
                value=value, **names
            )
        return self.tr(
            "Changed the target “{indicator}” of {program}, {period}: {old} → {new}"
        ).format(old=self.target_value(before), new=value, **names)

    def indicator_name(self, code: object) -> str:
        term = self.catalog.indicators.get(str(code)) if self.catalog is not None else None
        return term.name(self.language) if term is not None else str(code)

    def target_value(self, target: Mapping[str, Any]) -> str:
        value = target.get("value")
        if not isinstance(value, int | float):
            return "" if value is None else str(value)
        unit = indicator_unit(self.catalog, target["indicator"]) if self.catalog else "count"
        return value_text(float(value), unit)

    def _backup(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        records = after.get("records")
        if isinstance(records, int):
            return self.tr("Backed up the data to {file} ({records})").format(
                file=_file_name(after["file"]), records=self.records_text(records)
            )
        return self.tr("Backed up the data to {file}").format(file=_file_name(after["file"]))

    def _restore(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        text = self.tr("Restored the data of the backup {file}").format(
            file=_file_name(after["file"])
        )
        if after.get("kept"):
            text += self.tr("; the replaced database file is kept")
        return text

    def _receipt(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        text = self.tr(
            "Imported the ministry's receipt of period {period}, version {version}: {verdict}"
        ).format(
            period=entry["period"],
            version=after["version"],
            verdict=self.verdict_text(after["verdict"]),
        )
        if after.get("review_state"):
            text += self.tr("; review: {state}").format(
                state=self.verdict_text(after["review_state"])
            )
        records = after.get("records")
        if isinstance(records, int) and records > 0:
            text += self.tr("; comments on {records}").format(records=self.records_text(records))
        return text

    def verdict_text(self, value: object) -> str:
        """A verdict or review state of the ministry, translated (as stored when unknown)."""
        words = {
            "accepted": self.tr("accepted"),
            "refused": self.tr("refused"),
            "received": self.tr("received, not yet reviewed"),
            "has_issues": self.tr("has issues to fix"),
            "rejected": self.tr("rejected"),
        }
        return words.get(str(value), str(value))

    def _ministry_certificate(self, entry: Mapping[str, Any]) -> str:
        after = entry["after"]
        return self.tr("Set the ministry's certificate: {holder}").format(holder=after["holder"])

    # --- details -----------------------------------------------------------------------------
    def details(self, entry: Mapping[str, Any]) -> list[DetailRow]:
        """The entry's values before and after, one row per field, under its label."""
        before, after = entry.get("before"), entry.get("after")
        both = before is not None and after is not None
        if not isinstance(before, dict) and not isinstance(after, dict):
            if before is None and after is None:
                return []
            return [
                DetailRow(
                    "",
                    self.tr("Value"),
                    self.value(entry, "", before),
                    self.value(entry, "", after),
                    both and before != after,
                )
            ]
        old = before if isinstance(before, dict) else {}
        new = after if isinstance(after, dict) else {}
        names = _ordered_keys(old, new)
        if "places" in names:  # the places show their names already
            names = [name for name in names if name != "place_names"]
        rows = []
        for name in names:
            old_value, new_value = old.get(name), new.get(name)
            whole_record = entry.get("kind") in KIND_CODES and entry.get("action") != "import"
            if old_value is None and new_value is None and not whole_record:
                continue  # nothing to show: an import without a source, no full name…
            rows.append(
                DetailRow(
                    name,
                    self.label(entry.get("kind"), name),
                    self.value(entry, name, old_value, old),
                    self.value(entry, name, new_value, new),
                    both and old_value != new_value,
                )
            )
        return rows

    def label(self, kind: str | None, name: str) -> str:
        """The label of a stored key: a record field's label for records, else a word."""
        if kind in KIND_CODES:
            field = _record_field(kind, name)
            if field is not None:
                return field.label(self.language)
            if name == "id":
                return self.tr("Record id")
        if kind == "target" and name == "program":
            return PROGRAM.label(self.language)
        return self._labels().get(name, name)

    def _labels(self) -> dict[str, str]:
        return {
            "count": self.tr("Records imported"),
            "ids": self.tr("Record ids"),
            "source": self.tr("Source"),
            "id": self.tr("Id"),
            "created_at": self.tr("Created at"),
            "created_by": self.tr("Created by"),
            "updated_at": self.tr("Changed at"),
            "updated_by": self.tr("Changed by"),
            "place_names": self.tr("Place names"),
            "username": self.tr("User name"),
            "full_name": self.tr("Full name"),
            "role": self.tr("Role"),
            "active": self.tr("Active"),
            "must_change_password": self.tr("Must change the password"),
            "reason": self.tr("Reason"),
            "failed_attempts": self.tr("Failed logins in a row"),
            "locked_until": self.tr("Locked until"),
            "status": self.tr("Status"),
            "approved_by": self.tr("Approved by"),
            "approved_at": self.tr("Approved at"),
            "locked": self.tr("Locked"),
            "reopen_reason": self.tr("Reason for reopening"),
            "package_id": self.tr("Package id"),
            "version": self.tr("Version"),
            "supersedes": self.tr("Replaces package"),
            "file": self.tr("File"),
            "parts": self.tr("Parts"),
            "records": self.tr("Records"),
            "signer_fingerprint": self.tr("Signer fingerprint (SHA-256)"),
            "signer_subject": self.tr("Signer"),
            "name": self.tr("Agency name"),
            "province_code": self.tr("Province"),
            "parent_body": self.tr("Parent body"),
            "receiving_ministry": self.tr("Receiving ministry"),
            "abbreviation": self.tr("Agency abbreviation"),
            "signer": self.tr("Signed by"),
            "signer_title": self.tr("Title of the signer"),
            "recipients": self.tr("Recipients"),
            "valid_from": self.tr("Valid from"),
            "valid_to": self.tr("Valid to"),
            "indicator": self.tr("Indicator"),
            "period": self.tr("Period"),
            "value": self.tr("Target value"),
            "note": self.tr("Note"),
            "kept": self.tr("Replaced database kept as"),
            "sha256": self.tr("File fingerprint (SHA-256)"),
            "verdict": self.tr("Verdict"),
            "review_state": self.tr("Review"),
            "comment": self.tr("Comment"),
            "failed_checks": self.tr("Failed checks"),
            "issued_at": self.tr("Issued at"),
            "holder": self.tr("Holder"),
            "subject": self.tr("Subject"),
            "fingerprint": self.tr("Fingerprint (SHA-256)"),
        }

    def value(
        self,
        entry: Mapping[str, Any],
        name: str,
        value: Any,
        values: Mapping[str, Any] | None = None,
    ) -> str:
        """A stored value as the app writes it (dates dd/MM/yyyy, money ``1.234 ₫``, codes
        by their names); ``values`` are the other values of the same side (a target's
        indicator tells the unit of its value)."""
        if value is None:
            return ""
        kind, action = entry.get("kind"), entry.get("action")
        try:
            if kind in KIND_CODES:
                field = _record_field(kind, name)
                if field is not None:
                    return self._field_value(field, value)
            if action == "import" and name == "ids" and isinstance(value, list):
                return self.ids_text(value)
            if action == "import" and name == "source":
                return self.source_text(value)
            return self._other_value(kind, name, value, values or {})
        except (AttributeError, KeyError, LookupError, TypeError, ValueError):
            return _plain(value)

    def _field_value(self, field: FieldSpec, value: Any) -> str:
        kind = field.type
        if kind is FieldType.DATE:
            if len(str(value)) > 10:  # updated_at: a moment
                return _datetime_text(value)
            return _date_text(value)
        if kind is FieldType.MONEY and isinstance(value, int):
            return format_money(value)
        if kind is FieldType.INT and isinstance(value, int) and not isinstance(value, bool):
            return str(value) if (field.minimum or 0) >= 1900 else format_number(value)
        if kind is FieldType.BOOL or isinstance(value, bool):
            return self.yes_no(value)
        if kind is FieldType.CODE and field.vocabulary == "program":
            return self.program_text(value)
        if kind is FieldType.CODE and field.vocabulary and self.catalog is not None:
            return self.catalog.term_name(field.vocabulary, str(value), self.language)
        if kind is FieldType.PLACES and isinstance(value, list):
            return ", ".join(self.place_name(code) for code in value)
        if kind is FieldType.EVIDENCE and isinstance(value, list):
            return ", ".join(
                str(item.get("name", "")) if isinstance(item, dict) else str(item) for item in value
            )
        if kind is FieldType.INDICATORS and isinstance(value, dict):
            return ", ".join(f"{code} {'✓' if met else '✗'}" for code, met in value.items())
        return _plain(value)

    def _other_value(
        self, kind: str | None, name: str, value: Any, values: Mapping[str, Any]
    ) -> str:
        if isinstance(value, bool):
            return self.yes_no(value)
        if name in _DATETIME_KEYS:
            return _datetime_text(value)
        if name in _DATE_KEYS:
            return _date_text(value)
        if name in _COUNT_KEYS and isinstance(value, int):
            return format_number(value)
        if name == "role":
            return role_name(str(value))
        if name == "reason" and kind == "account":
            return self.reason_text(value)
        if name == "status" and kind == "period":
            statuses = {"approved": self.tr("approved"), "reopened": self.tr("reopened")}
            return statuses.get(str(value), str(value))
        if name in ("verdict", "review_state"):
            return self.verdict_text(value)
        if name == "issued_at":
            return _datetime_text(value)
        if name in ("signer_fingerprint", "fingerprint", "sha256"):  # in groups: cells wrap
            return format_fingerprint(str(value), group=4, separator=" ")
        if name == "province_code":
            return self.place_name(value)
        if kind == "target":
            if name == "program":
                return self.program_text(value)
            if name == "indicator":
                return self.indicator_name(value)
            if name == "period":
                return period_label(str(value))
            if name == "value":
                return self.target_value(values)
        return _plain(value)

    def yes_no(self, value: object) -> str:
        return self.tr("Yes") if value else self.tr("No")

    def program_text(self, code: object) -> str:
        """A program node as ``code – name`` (the code alone when the catalog lacks it)."""
        node = self.catalog.program(str(code)) if self.catalog is not None else None
        return f"{code} – {node.name}" if node is not None else str(code)

    def place_name(self, code: object) -> str:
        unit = self.catalog.admin.get(str(code)) if self.catalog is not None else None
        return unit.name if unit is not None else str(code)

    def ids_text(self, ids: Sequence[object]) -> str:
        """Ids of a batch: how many, then the first runs: ``36 records: #2965–#3000``."""
        runs: list[list[int]] = []
        others: list[str] = []
        for item in ids:
            try:
                number = int(str(item))
            except ValueError:
                others.append(str(item))
                continue
            if runs and runs[-1][1] + 1 == number:
                runs[-1][1] = number
            else:
                runs.append([number, number])
        parts = [f"#{first}" if first == last else f"#{first}–#{last}" for first, last in runs]
        parts += [f"#{item}" for item in others]
        shown = ", ".join(parts[:ID_RUNS_SHOWN]) + (", …" if len(parts) > ID_RUNS_SHOWN else "")
        return f"{self.records_text(len(ids))}: {shown}"


def _record_field(kind: str, name: str) -> FieldSpec | None:
    for field in available_fields(kind):
        if field.name == name:
            return field
    if name in kind_spec(kind).retired_fields:  # in entries written before it was retired
        return COMMON_FIELDS.get(name)
    return None


def _ordered_keys(*dicts: Mapping[str, Any]) -> list[str]:
    names: list[str] = []
    for values in dicts:
        names.extend(name for name in values if name not in names)
    return names


def _account_name(entry: Mapping[str, Any]) -> str:
    return str(entry.get("entity_id") or entry.get("username") or "?")


def _plain(value: Any) -> str:
    if isinstance(value, list | dict) and not value:
        return ""  # an empty list (no failed checks…) shows as nothing, not "[]"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
