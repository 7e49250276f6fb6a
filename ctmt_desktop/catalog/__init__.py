"""The catalog: program tree, vocabularies, indicators and administrative units.

It ships as data in ``resources/catalog`` (``catalog.json`` and ``admin_units.json``), trusted
as shipped. A newer catalog signed by the ministry, installed with :func:`install_catalog`
into the user's data folder (:mod:`ctmt_desktop.catalog.signed`), replaces the bundled one
without reinstalling the app; it may carry its own ``admin_units`` section.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from ctmt_desktop.paths import resources_dir, user_data_dir
from ctmt_desktop.text import fold, sort_key

CATALOG_FORMAT = 1
CATALOG_FILE = "catalog.json"
ADMIN_UNITS_FILE = "admin_units.json"
#: Administrative units changed on this day: no districts, 34 provinces, 3,321 communes.
REORGANISATION_DAY = date(2025, 7, 1)
LEGACY_PREFIX = "old:"


class CatalogError(ValueError):
    """A catalog file that cannot be used (unreadable, wrong format, inconsistent)."""


@dataclass(frozen=True)
class ProgramNode:
    """A node of the program tree (program, project, sub-project or content line)."""

    code: str
    name: str
    level: str
    parent: str | None
    valid_from: date
    valid_to: date
    short_name: str = ""
    legal_basis: str = ""
    phases: tuple[str, ...] = ()
    rules: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def valid_over(self, start: date, end: date) -> bool:
        """True when the node is valid on every day from ``start`` to ``end``."""
        return self.valid_from <= start and end <= self.valid_to

    @property
    def program_code(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def depth(self) -> int:
        return self.code.count(".")


@dataclass(frozen=True)
class Term:
    """One entry of a vocabulary: a code and its names."""

    code: str
    vi: str
    en: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def name(self, language: str = "vi") -> str:
        return self.vi if language == "vi" else self.en


@dataclass(frozen=True)
class AdminUnit:
    """A province or commune, current (since 1 July 2025) or legacy (63 provinces era).

    Attributes:
        code: GSO code; legacy units carry the ``old:`` prefix.
        level: province, commune, district (legacy only).
        province: the code of the *current* province the unit lies in.
        legacy: True for units that ceased on 1 July 2025.
        new_communes: for a legacy commune, the current communes it went into.
    """

    code: str
    name: str
    level: str
    province: str
    legacy: bool = False
    kind: str = ""
    parent: str | None = None
    new_communes: tuple[str, ...] = ()
    default_new: str | None = None

    @property
    def folded(self) -> str:
        return fold(self.name)


class AdminUnits:
    """Lookup over current and legacy administrative units."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.source: dict[str, str] = dict(data.get("source", {}))
        units: dict[str, AdminUnit] = {}
        for item in data["provinces"]:
            units[item["code"]] = AdminUnit(
                item["code"], item["name"], "province", item["code"], kind=item.get("type", "")
            )
        for item in data["communes"]:
            units[item["code"]] = AdminUnit(
                item["code"],
                item["name"],
                "commune",
                item["province"],
                kind=item.get("type", ""),
                parent=item["province"],
            )
        legacy_province_of: dict[str, str] = {}
        for item in data.get("legacy_provinces", []):
            legacy_province_of[item["code"]] = item["new_province"]
            units[item["code"]] = AdminUnit(
                item["code"],
                item["name"],
                "province",
                item["new_province"],
                legacy=True,
                kind=item.get("type", ""),
            )
        for item in data.get("legacy_districts", []):
            units[item["code"]] = AdminUnit(
                item["code"],
                item["name"],
                "district",
                legacy_province_of[item["province"]],
                legacy=True,
                parent=item["province"],
            )
        for item in data.get("legacy_communes", []):
            units[item["code"]] = AdminUnit(
                item["code"],
                item["name"],
                "commune",
                legacy_province_of[item["province"]],
                legacy=True,
                parent=item.get("district"),
                new_communes=tuple(item.get("new_communes", ())),
                default_new=item.get("default_new"),
            )
        self._units = units

    def get(self, code: str) -> AdminUnit | None:
        return self._units.get(code)

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __iter__(self) -> Iterator[AdminUnit]:
        return iter(self._units.values())

    def provinces(self, *, legacy: bool = False) -> list[AdminUnit]:
        """Provinces sorted in Vietnamese order (current ones unless ``legacy``)."""
        found = [u for u in self if u.level == "province" and u.legacy == legacy]
        return sorted(found, key=lambda u: sort_key(u.name))

    def communes(self, province: str, *, legacy: bool = False) -> list[AdminUnit]:
        """Communes lying in the current ``province``, sorted in Vietnamese order."""
        found = [
            u
            for u in self
            if u.level == "commune" and u.province == province and u.legacy == legacy
        ]
        return sorted(found, key=lambda u: sort_key(u.name))

    def current_equivalent(self, code: str) -> str | None:
        """The current unit a code rolls up to (itself when current)."""
        unit = self.get(code)
        if unit is None:
            return None
        if not unit.legacy:
            return unit.code
        if unit.level == "commune":
            return unit.default_new or (unit.new_communes[0] if unit.new_communes else None)
        return unit.province

    def find(
        self, text: str, *, province: str | None = None, legacy: bool | None = None
    ) -> list[AdminUnit]:
        """Units whose code equals ``text`` or whose folded name equals or ends with it.

        ``"lao bao"`` finds ``Xã Lao Bảo``; a type prefix (``xa``, ``phuong``) may be given.
        """
        needle = fold(text)
        exact = self.get(text.strip())
        if exact is not None:
            return [exact]
        result = []
        for unit in self:
            if province is not None and unit.province != province:
                continue
            if legacy is not None and unit.legacy != legacy:
                continue
            name = unit.folded
            if name == needle or name.endswith(" " + needle):
                result.append(unit)
        return result


class Catalog:
    """The loaded catalog. Build it with :func:`load_catalog`."""

    def __init__(self, data: dict[str, Any], admin_data: dict[str, Any], origin: Path) -> None:
        if data.get("format") != CATALOG_FORMAT:
            raise CatalogError(f"{origin}: catalog format {data.get('format')!r} is not supported")
        try:
            self.version: str = str(data["version"])
            self.released: str = str(data.get("released", ""))
            self.origin = origin
            self.programs: dict[str, ProgramNode] = {}
            for item in data["programs"]:
                node = ProgramNode(
                    code=item["code"],
                    name=item["name"],
                    level=item["level"],
                    parent=item.get("parent"),
                    valid_from=date.fromisoformat(item["valid_from"]),
                    valid_to=date.fromisoformat(item["valid_to"]),
                    short_name=item.get("short_name", ""),
                    legal_basis=item.get("legal_basis", ""),
                    phases=tuple(item.get("phases", ())),
                    rules=dict(item.get("rules", {})),
                )
                self.programs[node.code] = node
            self.vocabularies: dict[str, dict[str, Term]] = {}
            for name, items in data["vocabularies"].items():
                terms = {}
                for item in items:
                    extra = {k: v for k, v in item.items() if k not in ("code", "vi", "en")}
                    terms[item["code"]] = Term(item["code"], item["vi"], item["en"], extra)
                self.vocabularies[name] = terms
            self.indicators: dict[str, Term] = {
                item["code"]: Term(item["code"], item["vi"], item["en"], {"unit": item["unit"]})
                for item in data.get("indicators", [])
            }
            self.border_gates: list[dict[str, str]] = list(data.get("border_gates", []))
            #: Reporting deadlines (the ministry's status): ``due_before`` per period type,
            #: ``source``, ``timezone_offset_hours``; read by ``ctmt_desktop.ministry.deadlines``.
            self.deadlines: dict[str, Any] = dict(data.get("deadlines", {}))
        except (KeyError, TypeError, ValueError) as exc:
            raise CatalogError(f"{origin}: malformed catalog ({exc})") from exc
        for node in self.programs.values():
            if node.parent is not None and node.parent not in self.programs:
                raise CatalogError(
                    f"{origin}: program {node.code} has unknown parent {node.parent}"
                )
        self._admin_data = admin_data

    @cached_property
    def admin(self) -> AdminUnits:
        return AdminUnits(self._admin_data)

    def province_name(self, code: str) -> str | None:
        """``admin.get(code).name`` for a current province, without building every unit
        (a tenth of a second the window's first paint need not wait for); any other code is
        looked up in :attr:`admin`."""
        if "admin" not in self.__dict__:
            for item in self._admin_data.get("provinces", []):
                if item.get("code") == code:
                    return str(item["name"])
        unit = self.admin.get(code)
        return unit.name if unit is not None else None

    # --- programs -------------------------------------------------------------------------
    def program(self, code: str) -> ProgramNode | None:
        return self.programs.get(code)

    def program_rule(self, code: str, rule: str) -> Any:
        """The value of ``rule`` on the node or its nearest ancestor that sets it."""
        node = self.programs.get(code)
        while node is not None:
            if rule in node.rules:
                return node.rules[rule]
            node = self.programs.get(node.parent) if node.parent else None
        return None

    def programs_valid_over(self, start: date, end: date) -> list[ProgramNode]:
        """Nodes valid over the whole date range, in tree order."""
        return [n for n in self.programs.values() if n.valid_over(start, end)]

    def children(self, code: str | None) -> list[ProgramNode]:
        return [n for n in self.programs.values() if n.parent == code]

    def descendants_and_self(self, code: str) -> list[str]:
        return [c for c in self.programs if c == code or c.startswith(code + ".")]

    # --- vocabularies ---------------------------------------------------------------------
    def vocabulary(self, name: str) -> dict[str, Term]:
        """Terms of a vocabulary by code; ``program`` gives the program tree's nodes."""
        if name == "program":
            return self._program_terms
        return self.vocabularies[name]

    @cached_property
    def _program_terms(self) -> dict[str, Term]:
        return {c: Term(c, n.name, n.name, {"level": n.level}) for c, n in self.programs.items()}

    def term_name(self, vocabulary: str, code: str | None, language: str = "vi") -> str:
        """Display name of a code, or the code itself when the catalog lacks it."""
        if code is None:
            return ""
        if vocabulary == "program":
            node = self.programs.get(code)
            return node.name if node else code
        term = self.vocabularies.get(vocabulary, {}).get(code)
        return term.name(language) if term else code

    def criterion_indicators(self, criterion_set: str) -> list[Term]:
        term = self.vocabularies["criterion_sets"].get(criterion_set)
        if term is None:
            return []
        return [Term(i["code"], i["vi"], i["en"]) for i in term.extra.get("indicators", [])]

    def border_gates_of(self, province: str) -> list[str]:
        return [g["name"] for g in self.border_gates if g.get("province") == province]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read the catalog file ({exc.strerror})") from exc
    except json.JSONDecodeError as exc:
        raise CatalogError(
            f"{path}: not a catalog file (invalid JSON at line {exc.lineno})"
        ) from exc
    if not isinstance(data, dict):
        raise CatalogError(f"{path}: not a catalog file")
    return data


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return (0,)


def bundled_catalog_path() -> Path:
    return resources_dir() / "catalog" / CATALOG_FILE


def installed_catalog_path() -> Path:
    return user_data_dir() / "catalog" / CATALOG_FILE


def _load(path: Path) -> Catalog:
    data = _read_json(path)
    admin = data.pop("admin_units", None)
    if admin is None:
        admin = _read_json(resources_dir() / "catalog" / ADMIN_UNITS_FILE)
    return Catalog(data, admin, path)


_CACHE: dict[Path, Catalog] = {}


def load_catalog(path: Path | None = None) -> Catalog:
    """Load the catalog: ``path`` if given, else the newer of the installed and bundled ones."""
    if path is None:
        path = bundled_catalog_path()
        installed = installed_catalog_path()
        if installed.exists():
            try:
                newer = _read_json(installed).get("version", "0")
                bundled = _read_json(path).get("version", "0")
                if _version_tuple(str(newer)) > _version_tuple(str(bundled)):
                    path = installed
            except CatalogError:
                pass  # a broken installed catalog never stops the app; the bundled one serves
    path = path.resolve()
    if path not in _CACHE:
        _CACHE[path] = _load(path)
    return _CACHE[path]


def install_catalog(source: Path, *, ministry_certificate: Path | None = None) -> Catalog:
    """Install a catalog signed by the ministry, newer than the one in use, for this user;
    return it loaded. The checks, the file format and where the ministry's certificate is
    remembered: :mod:`ctmt_desktop.catalog.signed`.

    Raises:
        CatalogError: refused (unsigned, tampered, signed by someone else, older, malformed),
            naming the file and the reason; the catalog in use stays.
    """
    from ctmt_desktop.catalog.signed import install_signed_catalog

    return install_signed_catalog(source, ministry_certificate=ministry_certificate).catalog


def names_of(codes: Iterable[str], catalog: Catalog) -> list[str]:
    """Names of administrative units, codes kept for unknown ones."""
    result = []
    for code in codes:
        unit = catalog.admin.get(code)
        result.append(unit.name if unit else code)
    return result
