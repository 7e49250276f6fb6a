"""Dev-time builder for ``resources/catalog/admin_units.json`` (Vietnam's administrative units).

Not used by the running app: run it by hand when the source data changes::

    python -m ctmt_desktop.catalog.build_admin_units --out resources/catalog/admin_units.json

Needs two PyPI packages installed in the interpreter that runs it (e.g. a throwaway venv):

* ``vietnam-provinces`` (GPL-3.0-or-later) -- authoritative post-1-July-2025 list: 34 provinces
  and 3,321 communes (xã / phường / đặc khu) with official GSO codes.  Only its bundled
  ``nested-divisions.json`` is read.
* ``vietnamadminunits`` (MIT) -- only its data files are read (``data/dataset.db`` with sqlite3
  and ``data/converter_2025.json`` with json); its parser/converter modules are never imported.
  They provide the pre-2025 units (63 provinces, ~700 districts, ~10,000 communes) and the
  old-commune -> new-commune mapping.

Old GSO codes are written with an ``old:`` prefix because GSO reused old commune codes for new
communes (new ``00070`` and old ``00070`` are different places).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import sqlite3
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

VP_DIST = "vietnam-provinces"
VAU_DIST = "vietnamadminunits"

OLD_PREFIX = "old:"

# Canonical spelling of type prefixes (the legacy source sometimes writes "Thành Phố", "Thị Trấn").
_PREFIXES = ("Thành phố", "Thị xã", "Thị trấn", "Huyện", "Quận", "Phường", "Xã", "Đặc khu")

Entry = dict[str, Any]


# --------------------------------------------------------------------------- helpers


def nfc(text: str) -> str:
    """NFC-normalise and collapse whitespace."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def fix_prefix(name: str) -> str:
    """Normalise the capitalisation of a leading unit-type prefix ("Thị Trấn X" -> "Thị trấn X")."""
    name = nfc(name)
    low = name.casefold()
    for prefix in _PREFIXES:
        if low.startswith(prefix.casefold() + " "):
            return prefix + name[len(prefix) :]
    return name


def fold_key(key: str) -> str:
    """Fold a key to lowercase ASCII letters/digits (strip diacritics, đ -> d)."""
    key = unicodedata.normalize("NFD", key.casefold()).replace("đ", "d")
    key = "".join(ch for ch in key if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", key)


def pad(code: object, width: int) -> str:
    return str(int(str(code))).zfill(width)


def old(code: object, width: int) -> str:
    return OLD_PREFIX + pad(code, width)


def _dist_version(dist: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def _vau_data_dir() -> Path:
    """vietnamadminunits' data folder, found without importing the package (its __init__
    imports the parser, which pulls shapely/geopy)."""
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("vietnamadminunits is not installed (pip install vietnamadminunits)")
    for location in spec.submodule_search_locations:
        data = Path(location) / "data"
        if (data / "dataset.db").is_file() and (data / "converter_2025.json").is_file():
            return data
    raise SystemExit("vietnamadminunits data files (dataset.db, converter_2025.json) not found")


def _sorted(entries: Iterable[Entry]) -> list[Entry]:
    return sorted(entries, key=lambda e: e["code"])


# --------------------------------------------------------------------------- the build


class _KeyResolver:
    """Resolve a (new province key, new ward key) pair from converter_2025.json to a GSO code.

    Exact (NFC) match first; keys that carry diacritics for disambiguation (e.g. 'xãcẩmgiàng'
    vs 'xãcẩmgiang') match exactly.  Otherwise fall back to a folded ASCII key, but only when
    the folded key is unique within the province.
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]]) -> None:
        self.exact: dict[tuple[str, str], str] = {}
        folded: dict[tuple[str, str], set[str]] = defaultdict(set)
        for prov_key, ward_key, code in rows:
            self.exact[(nfc(prov_key), nfc(ward_key))] = code
            folded[(nfc(prov_key), fold_key(ward_key))].add(code)
        self.folded = {k: next(iter(v)) for k, v in folded.items() if len(v) == 1}
        self.fuzzy_hits: list[str] = []

    def resolve(self, prov_key: str, ward_key: str) -> str | None:
        key = (nfc(prov_key), nfc(ward_key))
        if key in self.exact:
            return self.exact[key]
        code = self.folded.get((key[0], fold_key(ward_key)))
        if code is not None:
            self.fuzzy_hits.append(f"{prov_key}/{ward_key} -> {code}")
        return code


def _match_communes(
    db_communes: dict[str, tuple[str, str]], communes: list[Entry], report: dict[str, Any]
) -> dict[str, str]:
    """Map dataset.db commune codes to vietnam-provinces codes.

    Match within the same new province on the exact NFC name, then on the folded name (which
    absorbs "Hoà"/"Hòa"-style spelling differences) when unique, then on the same code.
    """
    exact: dict[tuple[str, str], list[str]] = defaultdict(list)
    folded: dict[tuple[str, str], list[str]] = defaultdict(list)
    vp_province = {c["code"]: c["province"] for c in communes}
    for c in communes:
        exact[(c["province"], c["name"])].append(c["code"])
        folded[(c["province"], fold_key(c["name"]))].append(c["code"])
    mapping: dict[str, str] = {}
    by_code: list[str] = []
    unmatched: list[str] = []
    for db_code, (pcode, name) in sorted(db_communes.items()):
        hits = exact.get((pcode, name)) or folded.get((pcode, fold_key(name))) or []
        if len(hits) == 1:
            mapping[db_code] = hits[0]
        elif vp_province.get(db_code) == pcode:
            mapping[db_code] = db_code
            by_code.append(f"{db_code} {name}")
        else:
            unmatched.append(f"dataset.db commune {db_code} {name} (province {pcode})")
    report["unresolved"].extend(unmatched)
    report["communes_matched_by_code_only"] = by_code
    report["recoded_communes"] = sorted(
        f"{db_code}->{vp_code}" for db_code, vp_code in mapping.items() if db_code != vp_code
    )
    targets: dict[str, list[str]] = defaultdict(list)
    for db_code, vp_code in mapping.items():
        targets[vp_code].append(db_code)
    for vp_code, db_codes in sorted(targets.items()):
        if len(db_codes) > 1:
            report["warnings"].append(f"dataset.db communes {db_codes} all match {vp_code}")
    missing = sorted({c["code"] for c in communes} - set(targets))
    if missing:
        report["warnings"].append(f"vietnam-provinces communes absent from dataset.db: {missing}")
    return mapping


def build_admin_units(report: dict[str, Any] | None = None) -> dict[str, object]:
    """Build the catalog dict written to ``admin_units.json`` (see module docstring).

    If ``report`` is given it is filled with diagnostics: ``unresolved`` and ``warnings``
    (lists of messages), ``splits``, name differences between the two sources, etc.
    """
    try:
        import vietnam_provinces
    except ImportError as exc:  # pragma: no cover - dev tool
        raise SystemExit(
            "vietnam-provinces is not installed (pip install vietnam-provinces)"
        ) from exc

    if report is None:
        report = {}
    report.update(warnings=[], unresolved=[])
    warn: list[str] = report["warnings"]
    unresolved: list[str] = report["unresolved"]

    # ---- new units (vietnam-provinces) -------------------------------------------------
    nested = json.loads(Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH).read_text("utf-8"))
    provinces: list[Entry] = []
    communes: list[Entry] = []
    for prov in nested:
        pcode = pad(prov["code"], 2)
        provinces.append({"code": pcode, "name": nfc(prov["name"]), "type": prov["division_type"]})
        for ward in prov["wards"]:
            communes.append(
                {
                    "code": pad(ward["code"], 5),
                    "name": nfc(ward["name"]),
                    "type": ward["division_type"],
                    "province": pcode,
                }
            )
    provinces = _sorted(provinces)
    communes = _sorted(communes)
    commune_by_code = {c["code"]: c for c in communes}
    province_by_code = {p["code"]: p for p in provinces}
    if len(commune_by_code) != len(communes):
        warn.append("duplicate new commune codes in vietnam-provinces")
    bad_types = {c["type"] for c in communes} - {"xã", "phường", "đặc khu"}
    if bad_types:
        warn.append(f"unexpected commune types: {sorted(bad_types)}")

    # ---- vietnamadminunits data files --------------------------------------------------
    data_dir = _vau_data_dir()
    converter = json.loads((data_dir / "converter_2025.json").read_text("utf-8"))
    con = sqlite3.connect(f"file:{data_dir / 'dataset.db'}?mode=ro", uri=True)
    try:
        new_rows = con.execute(
            "SELECT provinceKey, provinceCode, province, wardKey, wardCode, ward FROM admin_units"
        ).fetchall()
        old_rows = con.execute(
            "SELECT provinceKey, provinceCode, province, districtKey, districtCode, district,"
            " wardKey, wardCode, ward FROM admin_units_legacy"
        ).fetchall()
    finally:
        con.close()

    # Cross-check against dataset.db's admin_units.  The unit sets agree, but dataset.db
    # carries some superseded GSO codes (e.g. Phường Cửa Nam 00082 vs 00073 in the newer
    # vietnam-provinces data), so communes are matched by (province, name), not by code, and
    # every dataset.db code is translated to the vietnam-provinces code.
    db_provinces: dict[str, str] = {}
    db_communes: dict[str, tuple[str, str]] = {}
    new_prov_code_by_key: dict[str, str] = {}
    for pkey, pcode, pname, _wkey, wcode, wname in new_rows:
        db_provinces[pad(pcode, 2)] = nfc(pname)
        db_communes[pad(wcode, 5)] = (pad(pcode, 2), nfc(wname))
        new_prov_code_by_key[nfc(pkey)] = pad(pcode, 2)
    if set(db_provinces) != set(province_by_code):
        warn.append(
            "province codes differ from dataset.db: "
            f"only vietnam-provinces {sorted(set(province_by_code) - set(db_provinces))}, "
            f"only dataset.db {sorted(set(db_provinces) - set(province_by_code))}"
        )
    report["province_name_diffs"] = [
        f"{code}: {province_by_code[code]['name']!r} vs {name!r}"
        for code, name in sorted(db_provinces.items())
        if code in province_by_code
        and re.sub(r"^Tỉnh ", "", name) != province_by_code[code]["name"]
    ]
    db_to_vp = _match_communes(db_communes, communes, report)
    report["commune_name_diffs"] = [
        f"{vp_code}: {commune_by_code[vp_code]['name']!r} (vietnam-provinces)"
        f" vs {db_communes[db_code][1]!r} (dataset.db)"
        for db_code, vp_code in sorted(db_to_vp.items(), key=lambda kv: kv[1])
        if db_communes[db_code][1] != commune_by_code[vp_code]["name"]
    ]

    # ---- legacy provinces / districts / communes ---------------------------------------
    new_prov_of_old_key: dict[str, str] = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        new_code = new_prov_code_by_key.get(nfc(new_key))
        if new_code is None:
            unresolved.append(f"new province key {new_key!r} not in dataset.db")
            continue
        for old_key in old_keys:
            if nfc(old_key) in new_prov_of_old_key:
                warn.append(f"old province {old_key!r} listed under several new provinces")
            new_prov_of_old_key[nfc(old_key)] = new_code

    legacy_provinces: dict[str, Entry] = {}
    legacy_districts: dict[str, Entry] = {}
    legacy_communes: dict[str, Entry] = {}
    # "provincekey_districtkey_wardkey" -> (commune code or None, district code)
    old_key_index: dict[str, tuple[str | None, str]] = {}
    for pkey, pcode, pname, dkey, dcode, dname, wkey, wcode, wname in old_rows:
        pkey = nfc(pkey)
        p_code = old(pcode, 2)
        d_code = old(dcode, 3)
        new_prov = new_prov_of_old_key.get(pkey)
        if new_prov is None:
            unresolved.append(f"old province {pkey!r} has no new province")
        if p_code not in legacy_provinces:
            pname = nfc(pname)
            is_city = pname.startswith("Thành phố ")
            legacy_provinces[p_code] = {
                "code": p_code,
                # Same convention as vietnam-provinces: "Quảng Trị", "Thành phố Hà Nội".
                "name": pname if is_city else re.sub(r"^Tỉnh ", "", pname),
                "type": "thành phố trung ương" if is_city else "tỉnh",
                "new_province": new_prov,
            }
        if d_code not in legacy_districts:
            legacy_districts[d_code] = {
                "code": d_code,
                "name": fix_prefix(dname),
                "province": p_code,
                "new_province": new_prov,
            }
        elif legacy_districts[d_code]["province"] != p_code:
            warn.append(f"district {d_code} appears under several provinces")
        c_code = old(wcode, 5) if wcode else None
        old_key_index[f"{pkey}_{nfc(dkey)}_{nfc(wkey or '')}"] = (c_code, d_code)
        if c_code is None:
            continue  # island district without communes; mapped at district level below
        if c_code in legacy_communes:
            warn.append(f"duplicate legacy commune code {c_code}")
        legacy_communes[c_code] = {
            "code": c_code,
            "name": fix_prefix(wname),
            "district": d_code,
            "province": p_code,
            "new_communes": [],
            "default_new": None,
        }

    # ---- old -> new mapping -------------------------------------------------------------
    resolver = _KeyResolver(
        (nfc(r[0]), nfc(r[3]), db_to_vp[pad(r[4], 5)]) for r in new_rows if pad(r[4], 5) in db_to_vp
    )
    # old key -> {new code: is_default}
    targets: dict[str, dict[str, bool]] = defaultdict(dict)

    def add_target(new_prov_key: str, new_ward_key: str, old_key: str, default: bool) -> None:
        code = resolver.resolve(new_prov_key, new_ward_key)
        if code is None:
            unresolved.append(f"new ward key {new_prov_key}/{new_ward_key!r} (from {old_key})")
            return
        prev = targets[nfc(old_key)].get(code, False)
        targets[nfc(old_key)][code] = prev or default

    for new_pkey, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_wkey, old_keys in wards.items():
            for old_key in old_keys:
                add_target(new_pkey, new_wkey, old_key, True)
    for new_pkey, olds in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in olds.items():
            for part in parts:
                add_target(
                    new_pkey, part["newWardKey"], old_key, bool(part.get("isDefaultNewWard"))
                )

    def ordered(new: dict[str, bool], label: str) -> tuple[list[str], str | None]:
        codes = sorted(new)
        defaults = [c for c in codes if new[c]]
        if len(codes) == 1:
            return codes, codes[0]
        if len(defaults) != 1:
            warn.append(f"{label}: {len(defaults)} default new communes among {codes}")
        return codes, (defaults[0] if defaults else None)

    for old_key, new in targets.items():
        if old_key not in old_key_index:
            unresolved.append(f"old key {old_key!r} from converter_2025.json not in dataset.db")
            continue
        c_code, d_code = old_key_index[old_key]
        entry = legacy_communes[c_code] if c_code else legacy_districts[d_code]
        entry["new_communes"], entry["default_new"] = ordered(new, entry["code"])

    # Every legacy district also lists the union of its communes' new communes.
    district_targets: dict[str, set[str]] = defaultdict(set)
    for c in legacy_communes.values():
        district_targets[c["district"]].update(c["new_communes"])
    for d in legacy_districts.values():
        if "new_communes" not in d:
            d["new_communes"] = sorted(district_targets[d["code"]])
        else:
            report.setdefault("communeless_districts", []).append(d["code"])

    # ---- validation -----------------------------------------------------------------------
    targeted: set[str] = set()
    for kind, entries in (("commune", legacy_communes), ("district", legacy_districts)):
        for entry in entries.values():
            if not entry["new_communes"]:
                unresolved.append(f"legacy {kind} {entry['code']} {entry['name']} maps to nothing")
                continue
            targeted.update(entry["new_communes"])
            new_prov = legacy_provinces[entry["province"]]["new_province"]
            for code in entry["new_communes"]:
                if code not in commune_by_code:
                    unresolved.append(f"{entry['code']} -> unknown new commune {code}")
                elif commune_by_code[code]["province"] != new_prov:
                    warn.append(f"{entry['code']} -> {code} outside new province {new_prov}")
    report["untargeted_new_communes"] = sorted(set(commune_by_code) - targeted)
    report["fuzzy_key_matches"] = resolver.fuzzy_hits
    report["splits"] = sum(len(c["new_communes"]) > 1 for c in legacy_communes.values())
    # Plausibility: GSO gives most new communes the code of one of their old communes.
    constituents: dict[str, set[str]] = defaultdict(set)
    for c in legacy_communes.values():
        for code in c["new_communes"]:
            constituents[code].add(c["code"].removeprefix(OLD_PREFIX))
    report["new_code_from_constituent"] = sum(
        1 for code in commune_by_code if code in constituents[code]
    )

    return {
        "source": {
            VP_DIST: getattr(vietnam_provinces, "__version__", _dist_version(VP_DIST)),
            "vietnam-provinces-data": getattr(vietnam_provinces, "__data_version__", "unknown"),
            VAU_DIST: _dist_version(VAU_DIST),
        },
        "provinces": provinces,
        "communes": communes,
        "legacy_provinces": _sorted(legacy_provinces.values()),
        "legacy_districts": _sorted(legacy_districts.values()),
        "legacy_communes": _sorted(legacy_communes.values()),
    }


# --------------------------------------------------------------------------- output


def dumps_catalog(catalog: dict[str, object]) -> str:
    """JSON text with one list item per line (small diffs), compact within an item."""

    def compact(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    parts: list[str] = []
    for key, value in catalog.items():
        if isinstance(value, list):
            items = ",\n".join(compact(item) for item in value)
            parts.append(f"{compact(key)}:[\n{items}\n]")
        else:
            parts.append(f"{compact(key)}:{compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ctmt_desktop.catalog.build_admin_units",
        description=(__doc__ or "").splitlines()[0],
    )
    parser.add_argument("--out", type=Path, default=Path("resources/catalog/admin_units.json"))
    parser.add_argument("-v", "--verbose", action="store_true", help="list every name difference")
    args = parser.parse_args(argv)

    report: dict[str, Any] = {}
    catalog = build_admin_units(report)
    text = dumps_catalog(catalog)
    json.loads(text)  # sanity: valid JSON
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")

    def count(key: str) -> int:
        value = catalog[key]
        return len(value) if isinstance(value, list) else 0

    name_diffs: list[str] = report["commune_name_diffs"]
    recoded: list[str] = report["recoded_communes"]
    print(f"wrote {args.out} ({len(text.encode('utf-8')):,} bytes)")
    print(f"provinces:           {count('provinces'):>6,}")
    print(f"communes:            {count('communes'):>6,}")
    print(f"legacy provinces:    {count('legacy_provinces'):>6,}")
    print(f"legacy districts:    {count('legacy_districts'):>6,}")
    print(f"legacy communes:     {count('legacy_communes'):>6,}")
    print(f"split (>1 new):      {report['splits']:>6,}")
    print(f"unresolved:          {len(report['unresolved']):>6,}")
    for line in report["unresolved"]:
        print(f"  {line}")
    print(f"districts without communes (mapped directly): {report.get('communeless_districts')}")
    print(
        f"new communes whose code is one of their old communes' codes: "
        f"{report['new_code_from_constituent']:,}"
    )
    print(
        f"dataset.db commune codes replaced by vietnam-provinces codes: {len(recoded)}"
        + (f" ({', '.join(recoded if args.verbose else recoded[:5])}, ...)" if recoded else "")
    )
    print(f"matched by code only (no name match): {report['communes_matched_by_code_only']}")
    print(
        f"name differences vs dataset.db (vietnam-provinces names kept): provinces"
        f" {len(report['province_name_diffs'])}, communes {len(name_diffs)}"
    )
    for line in report["province_name_diffs"] + (name_diffs if args.verbose else name_diffs[:5]):
        print(f"  {line}")
    print(f"new communes not targeted by any legacy unit: {report['untargeted_new_communes']}")
    print(f"new-ward keys matched only after folding: {report['fuzzy_key_matches']}")
    for line in report["warnings"]:
        print(f"warning: {line}")
    return 1 if report["unresolved"] or report["warnings"] else 0


if __name__ == "__main__":
    sys.exit(main())
