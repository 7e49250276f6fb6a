"""Catalog updates signed by the ministry: signed with a PKCS#12 file and on a SoftHSM2 token
(``ctmt ministry catalog-sign``), checked by OpenSSL, installed only when signed by the
ministry's certificate and newer (``ctmt catalog install``); unsigned, tampered, older,
foreign-signed, oversized and too deep catalogs are refused with the reason, and the one in
use stays."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from exchange_kit import PASSPHRASE, Identity, make_identity, openssl_extract
from softhsm import TOKEN_LABEL, TOKEN_PIN, Token, make_token, softhsm_tools, write_config

import ctmt_desktop.catalog as catalog_module
from ctmt_desktop.catalog import (
    CatalogError,
    bundled_catalog_path,
    install_catalog,
    installed_catalog_path,
    load_catalog,
)
from ctmt_desktop.catalog.signed import (
    MAX_CATALOG_DEPTH,
    MAX_SIGNED_CATALOG_BYTES,
    ministry_certificate_path,
    remembered_ministry_certificate,
)
from ctmt_desktop.cli import main
from ctmt_desktop.ministry.catalog_sign import sign_catalog
from ctmt_desktop.signing.cms import sign_cms
from ctmt_desktop.signing.identity import fingerprint_sha256, pkcs11_signer


@pytest.fixture(autouse=True)
def _fresh_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog_module, "_CACHE", {})


@pytest.fixture(scope="module")
def ids(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Identity]:
    folder = tmp_path_factory.mktemp("ids")
    return {name: make_identity(folder, name) for name in ("ministry", "forger")}


def _bundled() -> dict[str, Any]:
    return json.loads(bundled_catalog_path().read_text(encoding="utf-8"))


def _version(delta: int) -> str:
    parts = [int(p) for p in _bundled()["version"].split(".")]
    parts[0] += delta
    return ".".join(str(p) for p in parts)


def _catalog_json(folder: Path, delta: int = 1, **changes: Any) -> Path:
    data = _bundled()
    data["version"] = _version(delta)
    data.update(changes)
    path = folder / f"catalog-{data['version']}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def _in_use() -> tuple[str, Path]:
    catalog = load_catalog()
    return catalog.version, catalog.origin


def _refused(path: Path, reason: str, *, cert: Path | None = None) -> None:
    before = _in_use()
    with pytest.raises(CatalogError) as refused:
        install_catalog(path, ministry_certificate=cert)
    message = str(refused.value)
    assert str(path) in message and reason in message, message
    assert "\n" not in message
    assert not installed_catalog_path().exists()
    assert _in_use() == before == (_bundled()["version"], bundled_catalog_path().resolve())


def test_a_signed_newer_catalog_installs_and_openssl_checks_it(
    ids: dict[str, Identity], tmp_path: Path
) -> None:
    source = _catalog_json(tmp_path)
    signed = sign_catalog(source, tmp_path / "catalog.json.p7m", ids["ministry"].signer())
    assert signed.version == _version(1)
    assert signed.fingerprint == fingerprint_sha256(ids["ministry"].certificate)
    out = tmp_path / "extracted.json"
    checked = openssl_extract(signed.path, ids["ministry"].pem, out)
    assert checked.returncode == 0, checked.stderr
    assert out.read_bytes() == source.read_bytes()
    assert openssl_extract(signed.path, ids["forger"].pem, tmp_path / "x").returncode != 0

    _refused(signed.path, "no ministry certificate to check the catalog against")
    installed = install_catalog(signed.path, ministry_certificate=ids["ministry"].pem)
    assert installed.version == _version(1)
    assert load_catalog().origin == installed_catalog_path().resolve()
    assert installed_catalog_path().read_bytes() == source.read_bytes()
    remembered = remembered_ministry_certificate()
    assert remembered is not None
    assert fingerprint_sha256(remembered) == fingerprint_sha256(ids["ministry"].certificate)
    # The next one needs no certificate given: the remembered one checks it.
    newer = sign_catalog(
        _catalog_json(tmp_path, 2), tmp_path / "newer.json.p7m", ids["ministry"].signer()
    )
    assert install_catalog(newer.path).version == _version(2)
    # An older one than the one in use now (version +1) is refused; version +2 stays.
    with pytest.raises(CatalogError, match="is not newer than the one in use"):
        install_catalog(signed.path)
    assert load_catalog().version == _version(2)


def test_unsigned_tampered_older_and_foreign_signed_catalogs_are_refused(
    ids: dict[str, Identity], tmp_path: Path
) -> None:
    ministry, forger = ids["ministry"].signer(), ids["forger"].signer()
    cert = ids["ministry"].pem
    source = _catalog_json(tmp_path)
    _refused(source, "an unsigned catalog", cert=cert)
    foreign = sign_catalog(source, tmp_path / "foreign.json.p7m", forger).path
    _refused(foreign, "which is not the ministry's certificate", cert=cert)
    good = sign_catalog(source, tmp_path / "good.json.p7m", ministry).path
    tampered = tmp_path / "tampered.json.p7m"
    tampered.write_bytes(good.read_bytes().replace(b'"publisher"', b'"publishex"', 1))
    assert tampered.read_bytes() != good.read_bytes()
    _refused(tampered, "not what was signed", cert=cert)
    older = sign_catalog(_catalog_json(tmp_path, -1), tmp_path / "old.json.p7m", ministry).path
    _refused(older, "is not newer than the one in use", cert=cert)
    same = sign_catalog(_catalog_json(tmp_path, 0), tmp_path / "same.json.p7m", ministry).path
    _refused(same, "is not newer", cert=cert)
    garbage = tmp_path / "garbage.json.p7m"
    garbage.write_bytes(b"\x30\x82\xff\xff" + b"\x00" * 40)
    _refused(garbage, "an element longer than what holds it", cert=cert)
    huge = tmp_path / "huge.json.p7m"
    with huge.open("wb") as out:
        out.truncate(MAX_SIGNED_CATALOG_BYTES + 1)
    _refused(huge, "larger than the cap", cert=cert)
    deep: Any = 1
    for _ in range(MAX_CATALOG_DEPTH + 5):
        deep = [deep]
    data = _bundled()
    data["version"] = _version(1)
    data["border_gates"] = deep
    deep_file = tmp_path / "deep.json.p7m"
    deep_file.write_bytes(sign_cms(ministry, json.dumps(data).encode(), detached=False))
    _refused(deep_file, f"more than the cap of {MAX_CATALOG_DEPTH}", cert=cert)
    twice = tmp_path / "twice.json.p7m"
    text = json.dumps(data | {"border_gates": []})
    twice.write_bytes(sign_cms(ministry, (text[:-1] + ', "format": 1}').encode(), detached=False))
    _refused(twice, "the key 'format' appears twice", cert=cert)
    broken = dict(data, border_gates=[])
    broken.pop("programs")
    malformed = tmp_path / "malformed.json.p7m"
    malformed.write_bytes(sign_cms(ministry, json.dumps(broken).encode(), detached=False))
    _refused(malformed, "malformed catalog", cert=cert)
    assert not ministry_certificate_path().exists()  # remembered only by a successful install


def test_the_ministry_refuses_to_sign_a_catalog_the_provinces_would_refuse(
    ids: dict[str, Identity], tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": 1, "version": "9999.1", "programs": [', encoding="utf-8")
    with pytest.raises(CatalogError, match="not JSON"):
        sign_catalog(broken, tmp_path / "out.p7m", ids["ministry"].signer())
    assert not (tmp_path / "out.p7m").exists()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_command_line_signs_and_installs(
    ids: dict[str, Identity],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MINISTRY_PASS", PASSPHRASE)
    source = _catalog_json(tmp_path)
    out = tmp_path / "signed.json.p7m"
    code, text, err = _run(
        capsys,
        "ministry",
        "catalog-sign",
        "--in",
        str(source),
        "--out",
        str(out),
        "--p12",
        str(ids["ministry"].p12),
        "--passphrase-env",
        "MINISTRY_PASS",
    )
    assert code == 0, err
    assert text.startswith(f"signed catalog version {_version(1)}: {out}")
    code, _, err = _run(capsys, "catalog", "install", str(source))
    assert code == 1 and err.count("\n") == 1 and "an unsigned catalog" in err
    code, _, err = _run(capsys, "catalog", "install", str(out))
    assert code == 1 and "no ministry certificate" in err
    code, _, err = _run(
        capsys, "catalog", "install", str(out), "--ministry-cert", str(ids["forger"].pem)
    )
    assert code == 1 and "not the ministry's certificate" in err
    assert load_catalog().version == _bundled()["version"]
    code, text, err = _run(
        capsys, "catalog", "install", str(out), "--ministry-cert", str(ids["ministry"].pem)
    )
    assert code == 0, err
    assert f"Installed catalog version {_version(1)}, signed by the ministry" in text
    assert load_catalog().version == _version(1)
    code, _, err = _run(capsys, "catalog", "install", str(out))
    assert code == 1 and "not newer" in err
    code, _, err = _run(capsys, "ministry", "catalog-sign", "--in", str(source), "--out", str(out))
    assert code == 2 and "give either --p12 FILE or --pkcs11-module" in err


@pytest.fixture(scope="module")
def ministry_token(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Token]:
    softhsm_tools()
    folder = tmp_path_factory.mktemp("catalog-token")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOFTHSM2_CONF", str(write_config(folder)))
        yield make_token(folder)


def test_a_catalog_signed_on_a_token_installs(
    ministry_token: Token,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cryptography.hazmat.primitives.serialization import Encoding

    pem = tmp_path / "ministry-token.pem"
    pem.write_bytes(ministry_token.cert.public_bytes(Encoding.PEM))
    source = _catalog_json(tmp_path)
    with pkcs11_signer(ministry_token.module, TOKEN_LABEL, TOKEN_PIN) as signer:
        signed = sign_catalog(source, tmp_path / "token.json.p7m", signer)
    assert openssl_extract(signed.path, pem, tmp_path / "x.json").returncode == 0
    assert install_catalog(signed.path, ministry_certificate=pem).version == _version(1)
    # The same through the command line's token options.
    monkeypatch.setenv("MINISTRY_PIN", TOKEN_PIN)
    code, text, err = _run(
        capsys,
        "ministry",
        "catalog-sign",
        "--in",
        str(_catalog_json(tmp_path, 2)),
        "--out",
        str(tmp_path / "cli.json.p7m"),
        "--pkcs11-module",
        ministry_token.module,
        "--token-label",
        TOKEN_LABEL,
        "--pin-env",
        "MINISTRY_PIN",
    )
    assert code == 0, err
    code, text, err = _run(capsys, "catalog", "install", str(tmp_path / "cli.json.p7m"))
    assert code == 0, err
    assert load_catalog().version == _version(2)
