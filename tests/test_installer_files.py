"""The installer's files say what README promises: a per-user Inno Setup install in Vietnamese
and English with shortcuts, an uninstall that keeps the user's data, a windowed PyInstaller
build with icon and version and the console ``ctmt`` beside it, and a workflow that builds and
checks both. (Building itself is
``installer/build_bundle.py``'s job: too slow for the test suite.)"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"


def iss_sections() -> dict[str, list[str]]:
    """The script's sections: name -> its lines, without comments and preprocessor lines."""
    sections: dict[str, list[str]] = {"": []}
    current = ""
    for raw in (INSTALLER / "ctmt.iss").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        match = re.fullmatch(r"\[(\w+)\]", line)
        if match:
            current = match.group(1)
            sections.setdefault(current, [])
        else:
            sections[current].append(line)
    return sections


def setup_directives() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["Setup"])


def entries(section: str) -> list[dict[str, str]]:
    """``Name: "x"; Flags: y`` lines as dicts."""
    found = []
    for line in iss_sections()[section]:
        parts = re.findall(r'(\w+):\s*("(?:[^"]|"")*"|[^;]+)', line)
        found.append({key: value.strip().strip('"') for key, value in parts})
    return found


def test_iss_installs_per_user_without_administrator_rights() -> None:
    setup = setup_directives()
    assert setup["PrivilegesRequired"] == "lowest"
    assert "PrivilegesRequiredOverridesAllowed" not in setup
    assert setup["DefaultDirName"] == r"{autopf}\{#AppName}"
    assert setup["UsePreviousAppDir"] == "yes"
    assert re.fullmatch(r"\{\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", setup["AppId"])
    assert setup["ArchitecturesInstallIn64BitMode"] == "x64compatible"


def test_iss_speaks_vietnamese_and_english() -> None:
    languages = {entry["Name"]: entry["MessagesFile"] for entry in entries("Languages")}
    assert list(languages) == ["vietnamese", "english"]
    assert languages["english"] == "compiler:Default.isl"
    assert languages["vietnamese"] == "compiler:Default.isl,{#VietnameseIsl}"
    custom = iss_sections()["CustomMessages"]
    names = {line.split("=", 1)[0] for line in custom}
    for message in ("AppComment", "DataKept"):
        assert {f"vietnamese.{message}", f"english.{message}"} <= names


def test_vietnamese_messages_are_pinned_by_commit_and_hash() -> None:
    script = (INSTALLER / "build_windows.ps1").read_text(encoding="utf-8")
    commit = re.search(r'\$IsslCommit = "([0-9a-f]{40})"', script)
    digest = re.search(r'\$IsslSha256 = "([0-9a-f]{64})"', script)
    assert commit and digest
    assert "$IsslCommit/Files/Languages/Unofficial/Vietnamese.isl" in script
    assert "Get-FileHash -Algorithm SHA256" in script
    assert "/DVietnameseIsl=" in script


def test_iss_shortcuts_in_the_start_menu_and_on_the_desktop_by_choice() -> None:
    tasks = entries("Tasks")
    assert [task["Name"] for task in tasks] == ["desktopicon"]
    icons = {entry["Name"]: entry for entry in entries("Icons")}
    start = icons[r"{userprograms}\{#AppName}"]
    desktop = icons[r"{autodesktop}\{#AppName}"]
    assert start["Filename"] == desktop["Filename"] == r"{app}\{#AppExe}"
    assert "Tasks" not in start and desktop["Tasks"] == "desktopicon"


def test_iss_uninstall_removes_the_program_folder_only_and_says_data_is_kept() -> None:
    deletes = entries("UninstallDelete") + entries("InstallDelete")
    assert deletes
    for entry in deletes:
        assert entry["Name"].startswith("{app}"), entry
    code = "\n".join(iss_sections()["Code"])
    assert "usPostUninstall" in code and "DataKept" in code
    assert r"{localappdata}\CTMT\{#AppName}" in code  # where platformdirs keeps the data
    text = (INSTALLER / "ctmt.iss").read_text(encoding="utf-8").lower()
    assert "deltree" not in text and "{userappdata}" not in text


def test_iss_data_folder_is_the_one_the_app_uses() -> None:
    from ctmt_desktop.paths import APP_AUTHOR, APP_NAME

    code = "\n".join(iss_sections()["Code"])
    assert rf"{{localappdata}}\{APP_AUTHOR}\{{#AppName}}" in code
    assert '#define AppName "' + APP_NAME + '"' in (INSTALLER / "ctmt.iss").read_text("utf-8")


def spec_tree() -> ast.Module:
    return ast.parse((INSTALLER / "ctmt.spec").read_text(encoding="utf-8"))


def calls(name: str) -> list[ast.Call]:
    """Every ``name(...)`` call of the spec, in order."""
    found = [
        node
        for node in ast.walk(spec_tree())
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == name
    ]
    found.sort(key=lambda node: (node.lineno, node.col_offset))
    assert found, f"{name}(...) not in ctmt.spec"
    return found


def keywords(call: ast.Call) -> dict[str, ast.expr]:
    return {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}


def call_keywords(name: str) -> dict[str, ast.expr]:
    """The keywords of the first ``name(...)`` call."""
    return keywords(calls(name)[0])


def test_spec_builds_one_windowed_folder_with_icon_and_version() -> None:
    exe = call_keywords("EXE")
    assert ast.literal_eval(exe["console"]) is False
    assert ast.literal_eval(exe["exclude_binaries"]) is True  # one folder, not one file
    assert "icon_ico" in ast.unparse(exe["icon"])
    assert "version_file" in ast.unparse(exe["version"])
    assert ast.unparse(call_keywords("COLLECT")["name"]) == "NAME"
    source = (INSTALLER / "ctmt.spec").read_text(encoding="utf-8")
    assert 'NAME = "ctmt-desktop"' in source
    assert "VSVersionInfo(" in source and "ctmt_desktop" in source


def test_spec_adds_the_console_ctmt_to_the_same_folder() -> None:
    """``ctmt.exe`` beside ``ctmt-desktop.exe`` on Windows: the command line with a console,
    sharing ``_internal``, analysed without Qt and the GUI; elsewhere a script running
    ``ctmt-desktop --cli``."""
    source = (INSTALLER / "ctmt.spec").read_text(encoding="utf-8")
    assert 'CLI_NAME = "ctmt"' in source
    executables = {ast.unparse(keywords(call)["name"]): keywords(call) for call in calls("EXE")}
    assert set(executables) == {"NAME", "CLI_NAME"}
    app, cli = executables["NAME"], executables["CLI_NAME"]
    assert ast.literal_eval(app["console"]) is False
    assert ast.literal_eval(cli["console"]) is True
    for exe in (app, cli):
        assert ast.literal_eval(exe["exclude_binaries"]) is True
        assert "icon_ico" in ast.unparse(exe["icon"])
        assert "version_file" in ast.unparse(exe["version"])
    assert "cli_version_file" in ast.unparse(cli["version"])
    # Its own analysis and archive: the entry script, no Qt, no GUI package.
    analyses = calls("Analysis")
    assert len(analyses) == 2
    assert "ctmt_cli_entry.py" in ast.unparse(analyses[1].args[0])
    excluded = ast.unparse(keywords(analyses[1])["excludes"])
    for module in ("PySide6", "shiboken6", "ui"):
        assert f"'{module}'" in excluded
    assert "ui.selftest" not in ast.unparse(keywords(analyses[1])["hiddenimports"])
    assert [ast.unparse(call.args[0]) for call in calls("PYZ")] == ["a.pure", "cli.pure"]
    # One COLLECT with both executables and both analyses' files: one folder.
    (collect,) = calls("COLLECT")
    collected = [ast.unparse(argument) for argument in collect.args]
    assert collected[0] == "exe" and "*cli_parts" in collected
    assert {"a.binaries", "a.datas"} <= set(collected)
    assert "cli_parts = [cli_exe, cli.binaries, cli.datas]" in source
    # The console executable on Windows only; the Linux launcher runs the app's --cli.
    assert "if WINDOWS:\n    cli = Analysis(" in source
    assert '--cli "$@"' in source


def test_main_py_runs_the_command_line_without_qt() -> None:
    import subprocess
    import sys

    probe = (
        "import runpy, sys\n"
        f"sys.argv = [{str(ROOT / 'main.py')!r}, '--cli', '--version']\n"
        "try:\n"
        f"    runpy.run_path({str(ROOT / 'main.py')!r}, run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    code = end.code\n"
        # main.py checks that PySide6 is installed (its package, not a Qt library)
        "gui = ('PySide6.Qt', 'ui.')\n"
        "loaded = sorted(m for m in sys.modules if m == 'ui' or m.startswith(gui))\n"
        "sys.exit(f'Qt or the GUI loaded: {loaded}' if loaded else code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ctmt ")


def test_console_entry_script_runs_the_command_line_without_qt() -> None:
    import subprocess
    import sys

    entry = INSTALLER / "ctmt_cli_entry.py"
    assert "ctmt_desktop.cli" in entry.read_text(encoding="utf-8")
    probe = (
        "import runpy, sys\n"
        "sys.argv = ['ctmt', '--version']\n"
        "try:\n"
        f"    runpy.run_path({str(entry)!r}, run_name='__main__')\n"
        "except SystemExit as end:\n"
        "    code = end.code\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'ui'))\n"
        "sys.exit(f'Qt or the GUI loaded: {loaded}' if loaded else code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=False
    )
    from ctmt_desktop import __version__

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"ctmt {__version__}"


def test_build_bundle_runs_the_console_self_test() -> None:
    script = (INSTALLER / "build_bundle.py").read_text(encoding="utf-8")
    assert 'CLI_NAME = "ctmt"' in script
    assert '("--version", "self-test")' in script
    assert "ok &= cli_self_test(" in script


def test_spec_bundles_resources_and_migrations_and_leaves_unused_qt_out() -> None:
    source = (INSTALLER / "ctmt.spec").read_text(encoding="utf-8")
    assert '_files(ROOT / "resources", "resources"' in source
    assert '"ctmt_desktop/db/migrations"' in source
    for module in ("QtWebEngineCore", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia"):
        assert f'"{module}"' in source
    used = set()
    for path in (ROOT / "ui").glob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    unused = re.search(r"QT_UNUSED = \[(.*?)\]", source, re.S)
    assert unused is not None
    assert used and not used & set(re.findall(r'"(\w+)"', unused.group(1)))


def test_app_icon_is_drawn_as_png_and_ico(tmp_path: Path) -> None:
    import sys

    sys.path.insert(0, str(INSTALLER))
    try:
        from app_icon import write_icons
    finally:
        sys.path.remove(str(INSTALLER))
    png, ico = write_icons(tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert ico.read_bytes()[:4] == b"\x00\x00\x01\x00"


def test_workflow_builds_the_installer_on_windows_and_the_bundle_on_linux() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert "\t" not in text
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        document = yaml.safe_load(text)
        jobs = document["jobs"]
        assert jobs["windows"]["runs-on"].startswith("windows")
        assert jobs["linux"]["runs-on"].startswith("ubuntu")
        steps = " ".join(str(step.get("run", "")) for step in jobs["windows"]["steps"])
    else:  # the structure by hand: top-level keys, two jobs, their runners
        top = re.findall(r"^(\w[\w-]*):", text, re.M)
        assert top == ["name", "on", "permissions", "jobs"]
        assert re.search(r"^  windows:\n    runs-on: windows-", text, re.M)
        assert re.search(r"^  linux:\n    runs-on: ubuntu-", text, re.M)
        steps = text
    assert "installer\\build_windows.ps1" in steps
    assert "--self-test" in steps and "unins000.exe" in steps
    assert "ctmt-desktop\\ctmt.exe self-test" in steps  # the console executable
    assert "installer/build_bundle.py" in text
    for referenced in re.findall(r"installer[\\/][\w.]+", text):
        assert (ROOT / referenced.replace("\\", "/")).exists(), referenced


@pytest.mark.parametrize(
    "name", ["build_bundle.py", "build_windows.ps1", "ctmt.iss", "ctmt.spec", "ctmt_cli_entry.py"]
)
def test_installer_files_hold_no_machine_paths(name: str) -> None:
    text = (INSTALLER / name).read_text(encoding="utf-8")
    assert "/work/" not in text and "/home/" not in text and "C:\\Users" not in text
