"""The catalog: administrative units (current and legacy), the program tree, vocabularies,
and replacing the bundled catalog with a newer one without reinstalling."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import vietnam_provinces

import ctmt_desktop.catalog as catalog_module
from ctmt_desktop.catalog import (
    Catalog,
    CatalogError,
    bundled_catalog_path,
    install_catalog,
    installed_catalog_path,
    load_catalog,
)
from ctmt_desktop.text import clean_text
from ctmt_desktop.validation import ValidationContext, validate_record

PROGRAM_ROOTS = {
    "GNBV16": (date(2016, 1, 1), date(2020, 12, 31)),
    "GNBV21": (date(2021, 1, 1), date(2025, 12, 31)),
    "NTM21": (date(2021, 1, 1), date(2025, 12, 31)),
    "DTTS21": (date(2021, 1, 1), date(2025, 12, 31)),
    "MTQG26": (date(2026, 1, 1), date(2035, 12, 31)),
}
LEVELS = {"program", "project", "subproject", "content"}


# --- administrative units ---------------------------------------------------------------------
def test_there_are_34_current_provinces_and_3321_current_communes(catalog: Catalog) -> None:
    admin = catalog.admin
    assert len(admin.provinces()) == 34
    assert sum(1 for u in admin if u.level == "commune" and not u.legacy) == 3321
    assert sum(len(admin.communes(p.code)) for p in admin.provinces()) == 3321


def test_there_are_63_legacy_provinces_and_10035_legacy_communes(catalog: Catalog) -> None:
    admin = catalog.admin
    assert len(admin.provinces(legacy=True)) == 63
    assert all(p.code.startswith("old:") for p in admin.provinces(legacy=True))
    assert sum(1 for u in admin if u.level == "commune" and u.legacy) == 10035


def test_every_legacy_commune_went_into_a_current_commune_of_its_province(
    catalog: Catalog,
) -> None:
    admin = catalog.admin
    orphans = []
    for unit in admin:
        if not (unit.legacy and unit.level == "commune"):
            continue
        targets = [admin.get(code) for code in unit.new_communes]
        good = bool(targets) and all(
            t is not None and not t.legacy and t.level == "commune" and t.province == unit.province
            for t in targets
        )
        rolled_up = admin.get(admin.current_equivalent(unit.code) or "")
        if not good or rolled_up is None or rolled_up.code not in unit.new_communes:
            orphans.append(unit.code)
    assert orphans == []


def test_old_quang_tri_and_old_quang_binh_both_roll_up_to_province_44(catalog: Catalog) -> None:
    admin = catalog.admin
    assert admin.get("old:45").name == "Quảng Trị"
    assert admin.get("old:44").name == "Quảng Bình"
    assert admin.current_equivalent("old:45") == "44"
    assert admin.current_equivalent("old:44") == "44"
    assert admin.get("44").name == "Quảng Trị"


def test_old_tan_thanh_commune_maps_to_lao_bao(catalog: Catalog) -> None:
    admin = catalog.admin
    old = admin.get("old:19456")
    assert old is not None and old.legacy
    assert old.name == "Xã Tân Thành"
    assert old.province == "44"
    assert old.new_communes == ("19432",)
    assert admin.current_equivalent("old:19456") == "19432"
    assert admin.get("19432").name == "Xã Lao Bảo"


def test_current_unit_is_its_own_current_equivalent_and_unknown_has_none(
    catalog: Catalog,
) -> None:
    assert catalog.admin.current_equivalent("19432") == "19432"
    assert catalog.admin.current_equivalent("99999") is None


def test_finding_a_commune_by_name_ignores_diacritics(catalog: Catalog) -> None:
    found = catalog.admin.find("lao bao", province="44", legacy=False)
    assert [u.code for u in found] == ["19432"]


def _package_units() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Units of the package, names cleaned (it has a few double spaces, e.g. "Xã  Xuân Giang")."""
    path = Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH)
    provinces: dict[str, str] = {}
    communes: dict[str, tuple[str, str]] = {}
    for province in json.loads(path.read_text(encoding="utf-8")):
        code = f"{int(province['code']):02d}"
        provinces[code] = clean_text(province["name"])
        for ward in province["wards"]:
            communes[f"{int(ward['code']):05d}"] = (clean_text(ward["name"]), code)
    return provinces, communes


def test_current_units_equal_the_vietnam_provinces_package_by_code_and_name(
    catalog: Catalog,
) -> None:
    provinces, communes = _package_units()
    admin = catalog.admin
    ours_provinces = {u.code: u.name for u in admin.provinces()}
    ours_communes = {
        u.code: (u.name, u.province) for u in admin if u.level == "commune" and not u.legacy
    }
    assert ours_provinces == provinces
    assert ours_communes == communes


# --- program tree -----------------------------------------------------------------------------
def test_program_roots_have_their_validity_periods(catalog: Catalog) -> None:
    roots = {n.code: n for n in catalog.programs.values() if n.parent is None}
    assert set(roots) == set(PROGRAM_ROOTS)
    for code, (valid_from, valid_to) in PROGRAM_ROOTS.items():
        assert roots[code].level == "program"
        assert (roots[code].valid_from, roots[code].valid_to) == (valid_from, valid_to)
        assert roots[code].name


def test_every_program_node_has_an_existing_parent_inside_its_dates(catalog: Catalog) -> None:
    for node in catalog.programs.values():
        assert node.level in LEVELS, node.code
        assert node.valid_from <= node.valid_to, node.code
        if node.parent is None:
            continue
        parent = catalog.program(node.parent)
        assert parent is not None, node.code
        assert node.code.startswith(parent.code + "."), node.code
        assert parent.valid_from <= node.valid_from and node.valid_to <= parent.valid_to, node.code


def test_sub_nodes_are_found_under_their_program(catalog: Catalog) -> None:
    under = catalog.descendants_and_self("GNBV21.DA6")
    assert "GNBV21.DA6" in under and "GNBV21.DA6.TDA1.ND1" in under
    assert all(code.startswith("GNBV21.DA6") for code in under)
    assert [n.code for n in catalog.children(None)] == list(PROGRAM_ROOTS)


def test_training_day_limit_is_inherited_from_the_sub_project(catalog: Catalog) -> None:
    assert catalog.program_rule("GNBV21.DA6.TDA1.ND1", "max_training_days") == 5
    assert catalog.program_rule("MTQG26.TT.DT", "max_training_days") is None


def test_programs_valid_in_2026_are_only_the_merged_program(catalog: Catalog) -> None:
    valid = catalog.programs_valid_over(date(2026, 3, 1), date(2026, 3, 31))
    assert valid and {n.program_code for n in valid} == {"MTQG26"}


# --- vocabularies -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "record_statuses",
        "funding_sources",
        "funding_types",
        "training_forms",
        "participant_groups",
        "material_types",
        "event_types",
        "media_types",
        "quantity_units",
        "languages",
        "cluster_types",
        "cluster_statuses",
        "radio_technologies",
        "device_types",
        "beneficiary_groups",
        "criterion_sets",
    ],
)
def test_vocabulary_has_named_terms(catalog: Catalog, name: str) -> None:
    terms = catalog.vocabulary(name)
    assert terms
    assert all(t.code and t.vi and t.en for t in terms.values())


def test_talks_and_policy_dialogues_are_distinct_event_types(catalog: Catalog) -> None:
    assert {"talk", "policy_dialogue"} <= set(catalog.vocabulary("event_types"))


def test_funding_sources_are_the_four_of_the_domain(catalog: Catalog) -> None:
    assert set(catalog.vocabulary("funding_sources")) == {"NSTW", "NSDP", "LONGGHEP", "KHAC"}


def test_criterion_8_has_four_indicators_and_criterion_7_none_yet(catalog: Catalog) -> None:
    assert [i.code for i in catalog.criterion_indicators("QD318_TC8")] == [
        "8.1",
        "8.2",
        "8.3",
        "8.4",
    ]
    assert catalog.criterion_indicators("QD51_TC7") == []


def test_term_name_falls_back_to_the_code(catalog: Catalog) -> None:
    assert catalog.term_name("funding_sources", "NSTW", "en")
    assert catalog.term_name("funding_sources", "NOPE") == "NOPE"
    assert catalog.term_name("program", "GNBV21") == catalog.program("GNBV21").name


# --- installing a newer catalog ---------------------------------------------------------------
# Only a catalog signed by the ministry installs (tests/test_catalog_signing.py tries the
# refusals of unsigned, tampered and foreign-signed ones): these tests sign theirs with a
# ministry identity whose certificate the user has remembered.
_MINISTRY: dict[str, Any] = {}


def _ministry_signer() -> Any:
    if "signer" not in _MINISTRY:
        import tempfile

        from ctmt_desktop.signing.identity import create_self_issued, pkcs12_signer

        folder = Path(tempfile.mkdtemp(prefix="ctmt-test-ministry-"))
        certificate = create_self_issued("Bộ VHTTDL", folder / "m.p12", "passphrase", key_type="ec")
        _MINISTRY["signer"] = pkcs12_signer(folder / "m.p12", "passphrase")
        _MINISTRY["certificate"] = certificate
    return _MINISTRY["signer"]


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """Catalogs loaded in the test do not leak into other tests (and vice versa); the
    ministry's certificate is remembered for this test's user."""
    from ctmt_desktop.catalog.signed import remember_ministry_certificate

    monkeypatch.setattr(catalog_module, "_CACHE", {})
    _ministry_signer()
    remember_ministry_certificate(_MINISTRY["certificate"])


def _bundled_data() -> dict[str, Any]:
    return json.loads(bundled_catalog_path().read_text(encoding="utf-8"))


def _signed(path: Path, content: bytes) -> Path:
    """``content`` signed by the ministry into ``path`` (``NAME.json.p7m``)."""
    from ctmt_desktop.signing.cms import sign_cms

    path.write_bytes(sign_cms(_ministry_signer(), content, detached=False))
    return path


def _write_catalog(path: Path, data: dict[str, Any]) -> Path:
    """``data`` as a catalog signed by the ministry: ``path`` with ``.p7m`` added."""
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return _signed(path.with_name(path.name + ".p7m"), path.read_bytes())


def _bump(version: str, delta: int) -> str:
    parts = [int(p) for p in version.split(".")]
    parts[0] += delta
    return ".".join(str(p) for p in parts)


CRITERION_7_INDICATORS = [
    {"code": "7.1", "vi": "Xã có hạ tầng số", "en": "Digital infrastructure"},
    {"code": "7.2", "vi": "Xã có dịch vụ công trực tuyến", "en": "Online public services"},
]


def test_installed_newer_catalog_takes_effect_without_reinstalling(
    tmp_path: Path,
    fresh_cache: None,
) -> None:
    data = _bundled_data()
    bundled_version = data["version"]
    data["version"] = _bump(bundled_version, 1)
    for term in data["vocabularies"]["criterion_sets"]:
        if term["code"] == "QD51_TC7":
            term["indicators"] = CRITERION_7_INDICATORS
    source = _write_catalog(tmp_path / "catalog-new.json", data)

    installed = install_catalog(source)

    assert installed.version == data["version"]
    assert installed_catalog_path().is_file()
    current = load_catalog()
    assert current.version == data["version"]
    assert current.origin == installed_catalog_path().resolve()
    assert [i.code for i in current.criterion_indicators("QD51_TC7")] == ["7.1", "7.2"]
    record = {
        "program": "MTQG26.TC7",
        "title": "Đánh giá tiêu chí 7",
        "places": ["19432"],
        "funding_source": "NSDP",
        "year": 2026,
        "criterion_set": "QD51_TC7",
        "indicators": {"7.1": True, "7.2": False},
    }
    values = validate_record("criterion", record, ValidationContext(current, "44"))
    assert values["met"] is False


def test_catalog_not_newer_than_the_one_in_use_is_refused(
    tmp_path: Path,
    fresh_cache: None,
) -> None:
    data = _bundled_data()
    data["version"] = _bump(data["version"], -1)
    source = _write_catalog(tmp_path / "catalog-old.json", data)

    with pytest.raises(CatalogError) as caught:
        install_catalog(source)

    assert str(source) in str(caught.value)
    assert "not newer" in str(caught.value)
    assert not installed_catalog_path().exists()
    assert load_catalog().version == _bundled_data()["version"]


def test_catalog_of_the_same_version_is_refused(tmp_path: Path, fresh_cache: None) -> None:
    source = _write_catalog(tmp_path / "catalog-same.json", _bundled_data())
    with pytest.raises(CatalogError, match="not newer"):
        install_catalog(source)
    assert not installed_catalog_path().exists()


def test_invalid_json_catalog_is_refused_naming_the_file(tmp_path: Path, fresh_cache: None) -> None:
    source = _signed(
        tmp_path / "broken.json.p7m", b'{"format": 1, "version": "9999.1.1", "programs": ['
    )
    with pytest.raises(CatalogError) as caught:
        install_catalog(source)
    assert str(source) in str(caught.value)
    assert not installed_catalog_path().exists()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.pop("programs"), "malformed"),
        (lambda d: d.update(format=99), "format"),
        (
            lambda d: d["programs"].append(
                {
                    "code": "X.Y",
                    "name": "x",
                    "level": "content",
                    "parent": "X",
                    "valid_from": "2026-01-01",
                    "valid_to": "2026-12-31",
                }
            ),
            "unknown parent",
        ),
        (lambda d: d["programs"][0].update(valid_from="01/01/2016"), "malformed"),
    ],
    ids=["no programs", "unknown format", "orphan node", "bad date"],
)
def test_malformed_catalog_is_refused_naming_the_file(
    tmp_path: Path,
    fresh_cache: None,
    change: Any,
    words: str,
) -> None:
    data = _bundled_data()
    data["version"] = _bump(data["version"], 1)
    change(data)
    source = _write_catalog(tmp_path / "malformed.json", data)
    with pytest.raises(CatalogError) as caught:
        install_catalog(source)
    assert str(source) in str(caught.value)
    assert words in str(caught.value)
    assert not installed_catalog_path().exists()


def test_missing_catalog_file_is_refused_naming_the_file(tmp_path: Path, fresh_cache: None) -> None:
    source = tmp_path / "nowhere.json"
    with pytest.raises(CatalogError) as caught:
        install_catalog(source)
    assert str(source) in str(caught.value)


def test_broken_installed_catalog_falls_back_to_the_bundled_one(fresh_cache: None) -> None:
    target = installed_catalog_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("not json at all", encoding="utf-8")
    current = load_catalog()
    assert current.origin == bundled_catalog_path().resolve()
    assert current.version == _bundled_data()["version"]
