#!/usr/bin/env bash
# Compile installer/ctmt.iss with the real Inno Setup compiler (ISCC.exe) under wine, on Linux,
# to catch script errors before the Windows workflow does. Optionally install and uninstall
# the result silently under wine. A developer's check: not run by CI, and it builds nothing of
# the app (the bundle it packs is a dummy ctmt-desktop.exe and one file in _internal\).
#
#   installer/check_iss_with_wine.sh [--install] [--vietnamese-isl FILE]
#
# What it needs, and installs when missing (Debian or Ubuntu, as root or with sudo):
#   - wine with its 32-bit part (ISCC.exe is a 32-bit program): dpkg --add-architecture i386,
#     apt-get install wine wine64 wine32. If apt says the i386 packages "are not going to be
#     installed" (an i386 index missing on the mirror), rerun with APT_TARGET=bookworm (or your
#     release) so that both architectures take the same versions.
#   - Inno Setup's compiler: the npm package "innosetup" (INNO_NPM, default innosetup@6.4.1,
#     which bundles Inno Setup 6.4.1; INNO_NPM=innosetup-compiler@6.3.1 checks the oldest
#     version the script supports), unpacked with npm pack + tar: nothing is installed
#     globally.
# Everything goes to WORK (default ${TMPDIR:-/tmp}/ctmt-iss-check): the npm package, a wine
# prefix of its own, the dummy bundle, the icon, the compiled Setup and the logs. The wine
# prefix's Desktop/Documents/... links to your home folder are replaced by plain folders and
# winemenubuilder is off, so nothing is written outside WORK.
#
# Vietnamese messages: build_windows.ps1 downloads Vietnamese.isl (pinned commit and
# SHA-256). Pass that file with --vietnamese-isl FILE (its SHA-256 is compared with the pin);
# without it a copy of the compiler's Default.isl stands in, which checks the script but not
# the translation. The real file is written for Inno Setup 6.5+: older compilers warn that some
# of its message names are "not recognized ... Ignoring" (messages the script never uses);
# those warnings are reported but do not fail the check. Any other warning or error does.
#
# --install also runs the Setup silently under wine (as Windows 10, no display needed) and
# checks: the files in %LOCALAPPDATA%\Programs\CTMT Desktop, the Start menu and desktop
# shortcuts, the uninstall entry under HKCU, an upgrade over it (a stale file in _internal\
# goes, the Vietnamese language is kept), then the silent uninstall: program folder and
# shortcuts gone, a fake data folder in %LOCALAPPDATA%\CTMT\CTMT Desktop kept. Wine 8 cannot
# resolve {autopf} for a per-user install (FOLDERID_UserProgramFiles is not implemented), so
# this run compiles a copy of the script whose DefaultDirName says
# {localappdata}\Programs\... instead: the folder {autopf} means on Windows. Only that line
# differs; the plain compile check above uses the script as it is.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/ctmt-iss-check}
INNO_NPM=${INNO_NPM:-innosetup@6.4.1}
INSTALL=0
VIET_ISL=""
while [ $# -gt 0 ]; do
    case "$1" in
        --install) INSTALL=1 ;;
        --vietnamese-isl) VIET_ISL=$(realpath "$2"); shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
    shift
done

say() { printf '== %s\n' "$*"; }
fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- wine -------------------------------------------------------------------------------
if ! command -v wine >/dev/null || ! dpkg -s wine32:i386 >/dev/null 2>&1; then
    say "installing wine (wine, wine64, wine32)"
    target=()
    if [ -n "${APT_TARGET:-}" ]; then target=(-t "$APT_TARGET"); fi
    as_root dpkg --add-architecture i386
    as_root apt-get update -q || true  # a partial mirror fails one index: go on with the rest
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${target[@]}" wine wine64 wine32
fi
export WINEDEBUG=-all WINEPREFIX="$WORK/wineprefix" WINEDLLOVERRIDES="winemenubuilder.exe=d"
unset DISPLAY WAYLAND_DISPLAY
mkdir -p "$WORK"

# --- Inno Setup ---------------------------------------------------------------------------
INNO="$WORK/inno-${INNO_NPM//[@\/]/-}"
if [ ! -f "$INNO/package/bin/ISCC.exe" ]; then
    say "fetching Inno Setup from npm: $INNO_NPM"
    rm -rf "$INNO" && mkdir -p "$INNO"
    tarball=$(cd "$INNO" && npm pack --silent "$INNO_NPM" | tail -n 1)
    tar xzf "$INNO/$tarball" -C "$INNO"
fi
BIN="$INNO/package/bin"
[ -f "$BIN/ISCC.exe" ] || fail "no ISCC.exe in the npm package $INNO_NPM"

# --- the wine prefix, kept away from the home folder -------------------------------------
if [ ! -f "$WINEPREFIX/system.reg" ]; then
    say "creating the wine prefix $WINEPREFIX"
    wineboot -i >/dev/null 2>&1
    wineserver -w
fi
USERDIR=$(winepath -u "$(wine cmd /c 'echo %USERPROFILE%' | tr -d '\r')")
for link in "$USERDIR"/*; do
    if [ -L "$link" ]; then rm "$link" && mkdir "$link"; fi
done
# Setup refuses Windows 7 (MinVersion is Windows 10 1809) and needs no display.
wine reg add 'HKCU\Software\Wine\Drivers' /v Graphics /d null /f >/dev/null
wine winecfg /v win10 >/dev/null 2>&1
wineserver -w

# --- the inputs: a dummy bundle, the icon, the Vietnamese messages ------------------------
BUNDLE="$WORK/bundle"
rm -rf "$BUNDLE" && mkdir -p "$BUNDLE/_internal"
cp "$BIN/islzma32.exe" "$BUNDLE/ctmt-desktop.exe"  # any Windows program will do
echo "dummy" > "$BUNDLE/_internal/base_library.zip"

defines=(/DAppVersion=0.1.0 /DNumericVersion=0.1.0 "/DBundleDir=$(winepath -w "$BUNDLE")")
PY="$ROOT/.venv/bin/python"
[ -x "$PY" ] || PY=python3
if "$PY" "$ROOT/installer/app_icon.py" "$WORK/icon" >/dev/null 2>&1; then
    defines+=("/DAppIcon=$(winepath -w "$WORK/icon/ctmt-desktop.ico")")
else
    say "no icon (Pillow missing?): compiling without /DAppIcon"
fi
if [ -n "$VIET_ISL" ]; then
    pinned=$(sed -n 's/^\$IsslSha256 = "\([0-9a-f]*\)"/\1/p' "$ROOT/installer/build_windows.ps1")
    actual=$(sha256sum "$VIET_ISL" | cut -d' ' -f1)
    if [ "$actual" = "$pinned" ]; then say "Vietnamese.isl: the pinned file (SHA-256 matches)"
    else say "Vietnamese.isl: NOT the pinned file (SHA-256 $actual, pinned $pinned)"; fi
else
    VIET_ISL="$WORK/Vietnamese-standin.isl"
    cp "$BIN/Default.isl" "$VIET_ISL"
    say "Vietnamese.isl: stand-in copy of Default.isl (pass --vietnamese-isl for the real one)"
fi
defines+=("/DVietnameseIsl=$(winepath -w "$VIET_ISL")")

# --- compile ------------------------------------------------------------------------------
compile() {  # compile SCRIPT OUTDIR LOG
    local status=0
    wine "$BIN/ISCC.exe" "${defines[@]}" "/DOutputDir=$(winepath -w "$2")" \
        "$(winepath -w "$1")" >"$3" 2>&1 || status=$?
    tr -d '\r' <"$3" >"$3.tmp" && mv "$3.tmp" "$3"
    return $status
}
rm -rf "$WORK/out"
status=0
compile "$ROOT/installer/ctmt.iss" "$WORK/out" "$WORK/iscc.log" || status=$?
grep -m1 '^Compiler engine version' "$WORK/iscc.log" || true
ignored=$(grep -c '^Warning: Message name .* is not recognized by this version' "$WORK/iscc.log" || true)
others=$(grep -E '^(Warning|Error)' "$WORK/iscc.log" \
    | grep -v '^Warning: Message name .* is not recognized by this version' || true)
if [ "$ignored" -gt 0 ]; then
    say "$ignored warning(s): Vietnamese.isl messages newer than this compiler (ignored by it)"
fi
if [ "$status" -ne 0 ] || [ -n "$others" ]; then
    grep -E -A3 '^(Warning|Error)' "$WORK/iscc.log" \
        | grep -v 'is not recognized by this version' || true
    fail "ISCC exit code $status, or a warning above; full output in $WORK/iscc.log"
fi
SETUP=$(ls "$WORK"/out/CTMT-Desktop-Setup-*.exe)
say "compiled without errors or warnings of the script: $SETUP"
[ "$INSTALL" = 1 ] || exit 0

# --- install, upgrade and uninstall under wine --------------------------------------------
say "install check (the copy of the script with {localappdata}\\Programs for {autopf})"
sed 's/^DefaultDirName={autopf}\\/DefaultDirName={localappdata}\\Programs\\/' \
    "$ROOT/installer/ctmt.iss" >"$WORK/ctmt-wine.iss"
[ "$(diff "$ROOT/installer/ctmt.iss" "$WORK/ctmt-wine.iss" | grep -c '^>')" = 1 ] \
    || fail "could not swap {autopf} in DefaultDirName"
rm -rf "$WORK/out-wine"
compile "$WORK/ctmt-wine.iss" "$WORK/out-wine" "$WORK/iscc-wine.log" \
    || fail "ISCC on the wine copy; see $WORK/iscc-wine.log"
SETUP=$(ls "$WORK"/out-wine/CTMT-Desktop-Setup-*.exe)

LOCAL="$USERDIR/AppData/Local"
APP="$LOCAL/Programs/CTMT Desktop"
DATA="$LOCAL/CTMT/CTMT Desktop"
START="$USERDIR/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/CTMT Desktop.lnk"
DESKTOP="$USERDIR/Desktop/CTMT Desktop.lnk"
UNINSTALL_KEY='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\{8F695401-5AAC-40CE-A697-B5DC1E42EAC3}_is1'
mkdir -p "$DATA" && echo "fake database" >"$DATA/ctmt.sqlite3"
check() { if eval "$2"; then echo "  ok: $1"; else fail "$1"; fi; }
setup_run() {  # setup_run LOGNAME ARGS...
    local log=$1; shift
    wine "$SETUP" /VERYSILENT /SUPPRESSMSGBOXES "$@" "/LOG=$(winepath -w "$WORK/$log")" \
        || fail "Setup $*: exit code $?, log $WORK/$log"
    wineserver -w
}

setup_run install.log /TASKS=desktopicon /LANG=vietnamese
check "program in %LOCALAPPDATA%\\Programs\\CTMT Desktop" \
    '[ -f "$APP/ctmt-desktop.exe" ] && [ -f "$APP/_internal/base_library.zip" ]'
check "uninstaller next to it" '[ -f "$APP/unins000.exe" ]'
check "Start menu shortcut" '[ -f "$START" ]'
check "desktop shortcut" '[ -f "$DESKTOP" ]'
check "per-user install (no administrative install mode)" \
    'grep -q "Administrative install mode: No" "$WORK/install.log"'
check "uninstall entry under HKCU, language vietnamese" \
    'wine reg query "$UNINSTALL_KEY" /v "Inno Setup: Language" | grep -q vietnamese'

echo "stale" >"$APP/_internal/stale-from-old-version.dll"
setup_run upgrade.log
check "upgrade: same folder, old _internal files removed" \
    '[ -f "$APP/ctmt-desktop.exe" ] && [ ! -e "$APP/_internal/stale-from-old-version.dll" ]'
check "upgrade: kept the desktop shortcut and the language" \
    '[ -f "$DESKTOP" ] && wine reg query "$UNINSTALL_KEY" /v "Inno Setup: Language" | grep -q vietnamese'

wine "$APP/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES "/LOG=$(winepath -w "$WORK/uninstall.log")" \
    || fail "uninstaller: exit code $?"
wineserver -w  # the uninstaller runs on from a temporary copy
check "uninstall: program folder removed" '[ ! -e "$APP" ]'
check "uninstall: shortcuts removed" '[ ! -e "$START" ] && [ ! -e "$DESKTOP" ]'
check "uninstall: user data kept" '[ -f "$DATA/ctmt.sqlite3" ]'
check "uninstall: entry removed" '! wine reg query "$UNINSTALL_KEY" >/dev/null 2>&1'
rm -rf "$LOCAL/CTMT"
say "install, upgrade and uninstall checks passed (logs in $WORK)"
