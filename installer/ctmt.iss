; Inno Setup script of CTMT Desktop: a per-user installer, no administrator rights needed.
;
; It packs the one-folder bundle dist\ctmt-desktop that installer\build_bundle.py builds
; (PyInstaller, installer\ctmt.spec). installer\build_windows.ps1 does everything:
; bundle, self-test, the Vietnamese messages file, then
;
;   iscc /DAppVersion=0.1.0 /DVietnameseIsl=..\build\inno\Vietnamese.isl installer\ctmt.iss
;
; Needs Inno Setup 6.3 or newer (UTF-8 files without BOM, x64compatible); 7.x works as well.
; Vietnamese: Inno Setup ships no Vietnamese messages, so the build downloads the
; user-contributed Files/Languages/Unofficial/Vietnamese.isl of jrsoftware/issrc at a pinned
; commit, checks its SHA-256 and stacks it on Default.isl (a message it lacks stays English).
; That file is written for Inno Setup 6.5+: ISCC 6.3 and 6.4 warn that about twenty of its
; message names (downloads, archives, verification: never shown by this installer) are not
; recognized, and ignore them. installer/check_iss_with_wine.sh compiles this script on Linux.
;
; Uninstalling removes the program folder only. The user's data (database, evidence files,
; backups) live in %LOCALAPPDATA%\CTMT\CTMT Desktop and the settings in
; %APPDATA%\CTMT\CTMT Desktop.ini (platformdirs and Qt's user folders); they are kept, and
; the uninstaller says where they are.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
; The Windows version resource takes numbers only (0.2.0rc1 -> 0.2.0).
#ifndef NumericVersion
  #define NumericVersion AppVersion
#endif
#ifndef BundleDir
  #define BundleDir "..\dist\ctmt-desktop"
#endif
#ifndef VietnameseIsl
  #define VietnameseIsl "..\build\inno\Vietnamese.isl"
#endif
#ifndef OutputDir
  #define OutputDir "..\dist"
#endif
#define AppName "CTMT Desktop"
#define AppExe "ctmt-desktop.exe"

[Setup]
; The AppId never changes: upgrades and the uninstaller find the installed copy by it.
AppId={{8F695401-5AAC-40CE-A697-B5DC1E42EAC3}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=CTMT
AppCopyright=CTMT Desktop contributors, GPL-3.0-or-later
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName}
; Per user, without administrator rights: {autopf} is %LOCALAPPDATA%\Programs here.
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
UsePreviousAppDir=yes
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 1809 and later.
MinVersion=10.0.17763
WizardStyle=modern
ShowLanguageDialog=yes
LanguageDetectionMethod=uilanguage
CloseApplications=yes
RestartApplications=no
Compression=lzma2/max
SolidCompression=yes
OutputDir={#OutputDir}
OutputBaseFilename=CTMT-Desktop-Setup-{#AppVersion}
#ifdef AppIcon
SetupIconFile={#AppIcon}
#endif
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
SetupLogging=yes

[Languages]
; The first entry is the default when Windows speaks neither language.
Name: "vietnamese"; MessagesFile: "compiler:Default.isl,{#VietnameseIsl}"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
vietnamese.AppComment=Quản lý hoạt động thông tin và truyền thông của các Chương trình mục tiêu quốc gia
english.AppComment=Records and reports of the information-and-communications part of the National Target Programs
vietnamese.DataKept=Đã gỡ %1. Dữ liệu của bạn vẫn được giữ nguyên (cơ sở dữ liệu, tệp minh chứng, bản sao lưu):%n%n%2%n%nCài đặt lại phần mềm sẽ dùng tiếp dữ liệu này. Nếu không cần nữa, bạn có thể tự xóa thư mục trên.
english.DataKept=%1 was removed. Your data was kept (database, evidence files, backups):%n%n%2%n%nInstalling the program again uses it as before. Delete that folder yourself if you no longer need it.

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; An upgrade replaces the bundle's libraries as a whole: no file of an older version stays.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{userprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "{cm:AppComment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder: files the program might leave in it, then the folder if empty.
; The user's data folder is elsewhere and is never touched.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"

[Code]
function UserDataFolder(): String;
begin
  { The app's data folder: CTMT_DATA_DIR when set, else platformdirs' user_data_dir. }
  Result := GetEnv('CTMT_DATA_DIR');
  if Result = '' then
    Result := ExpandConstant('{localappdata}\CTMT\{#AppName}');
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent() then
    MsgBox(FmtMessage(CustomMessage('DataKept'), ['{#AppName}', UserDataFolder()]),
      mbInformation, MB_OK);
end;
