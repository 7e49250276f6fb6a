# Build the Windows installer of CTMT Desktop: dist\CTMT-Desktop-Setup-<version>.exe
#
#   powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1 [-Python C:\...\python.exe]
#       [-IsccPath C:\...\ISCC.exe] [-VietnameseIsl FILE] [-SkipBundle]
#
# 1. installer\build_bundle.py: a clean virtual environment, PyInstaller with
#    installer\ctmt.spec into dist\ctmt-desktop, the size check and the bundle's --self-test;
# 2. the Vietnamese messages of the installer (Inno Setup ships none): the user-contributed
#    Vietnamese.isl of jrsoftware/issrc at a pinned commit, checked against its SHA-256
#    (-VietnameseIsl FILE uses a copy you already have);
# 3. Inno Setup's ISCC on installer\ctmt.iss (Inno Setup 6.3 or newer, or 7).
# Needs Python 3.11 (64-bit) and Inno Setup (choco install innosetup, or jrsoftware.org).
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$IsccPath = "",
    [string]$VietnameseIsl = "",
    [switch]$SkipBundle
)
$ErrorActionPreference = "Stop"
$Root = Split-Path -Parent $PSScriptRoot

# The unofficial Vietnamese translation for Inno Setup 6.5+, pinned by commit and hash.
$IsslCommit = "5e6e7b7def7ee1ffcaa017c62589a150a05376a5"
$IsslUrl = "https://raw.githubusercontent.com/jrsoftware/issrc/$IsslCommit/Files/Languages/Unofficial/Vietnamese.isl"
$IsslSha256 = "1ed7f5580df3a302a6955c72ddbfa8e3c3e24d5ed22ea85f55bad548859b3a19"

Set-Location $Root
$Version = (Select-String -Path "ctmt_desktop\__init__.py" -Pattern '^__version__ = "([^"]+)"').Matches[0].Groups[1].Value
$Numeric = ([regex]::Matches($Version, "\d+") | Select-Object -First 4 | ForEach-Object { $_.Value }) -join "."
Write-Host "CTMT Desktop $Version"

# Python 3.11: the one given, else the py launcher's 3.11, else python on the PATH.
$PythonArgs = @()
if (-not $Python) {
    if (Get-Command py.exe -ErrorAction SilentlyContinue) { $Python = "py"; $PythonArgs = @("-3.11") }
    else { $Python = "python" }
}
if (-not $SkipBundle) {
    & $Python @PythonArgs installer\build_bundle.py
    if ($LASTEXITCODE -ne 0) { throw "build_bundle.py failed (exit code $LASTEXITCODE)" }
}

$Inno = Join-Path $Root "build\inno"
New-Item -ItemType Directory -Force -Path $Inno | Out-Null
$Isl = Join-Path $Inno "Vietnamese.isl"
if ($VietnameseIsl) {
    Copy-Item -Force $VietnameseIsl $Isl
} elseif (-not (Test-Path $Isl)) {
    Write-Host "Downloading $IsslUrl"
    Invoke-WebRequest -UseBasicParsing -Uri $IsslUrl -OutFile $Isl
}
$Hash = (Get-FileHash -Algorithm SHA256 $Isl).Hash.ToLowerInvariant()
if ($Hash -ne $IsslSha256) {
    Remove-Item $Isl
    throw "Vietnamese.isl has SHA-256 $Hash, expected $IsslSha256"
}

if (-not $IsccPath) {
    $found = Get-Command iscc.exe -ErrorAction SilentlyContinue
    if ($found) { $IsccPath = $found.Source }
}
if (-not $IsccPath) {
    $candidates = @(
        "$env:ProgramFiles\Inno Setup 7\ISCC.exe",
        "${env:ProgramFiles(x86)}\Inno Setup 7\ISCC.exe",
        "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
        "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe",
        "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe"
    )
    $IsccPath = $candidates | Where-Object { $_ -and (Test-Path $_) } | Select-Object -First 1
}
if (-not $IsccPath) { throw "Inno Setup's ISCC.exe not found: install Inno Setup 6.3+ or pass -IsccPath" }

$Icon = Join-Path $Root "build\pyinstaller\ctmt\icon\ctmt-desktop.ico"
$Defines = @("/DAppVersion=$Version", "/DNumericVersion=$Numeric", "/DVietnameseIsl=$Isl")
if (Test-Path $Icon) { $Defines += "/DAppIcon=$Icon" }
& $IsccPath @Defines "installer\ctmt.iss"
if ($LASTEXITCODE -ne 0) { throw "ISCC failed (exit code $LASTEXITCODE)" }

$Setup = Join-Path $Root "dist\CTMT-Desktop-Setup-$Version.exe"
$Size = [math]::Round((Get-Item $Setup).Length / 1MB, 1)
Write-Host "Built $Setup ($Size MiB)"
