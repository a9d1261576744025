; SPDX-License-Identifier: Apache-2.0
;
; packaging/windows/cinder.nsi - NSIS installer for Cinder on Windows (64-bit).
; UNTESTED ON WINDOWS: only compiled with makensis on Linux against a stand-in staging folder.
; packaging/windows/README.md gives the whole recipe. In short:
;
;   cmake --install build --prefix stage
;   windeployqt --release --qmldir ui --no-translations stage\bin\cinder.exe
;   makensis /DVERSION=0.1.0 /DSTAGE=stage\bin /DOUTDIR=build\packages packaging\windows\cinder.nsi
;
; STAGE is the folder holding cinder.exe and everything windeployqt copied beside it; it is
; installed as is into "Program Files\Cinder".

Unicode true
ManifestDPIAware true

!ifndef VERSION
  !error "pass /DVERSION=<x.y.z>"
!endif
!ifndef STAGE
  !error "pass /DSTAGE=<folder with cinder.exe and the windeployqt output>"
!endif
!ifndef OUTDIR
  !define OUTDIR "."
!endif

!define APP_NAME "Cinder"
!define APP_ID "org.cinder.Cinder"
!define PUBLISHER "The Cinder developers"
!define APP_EXE "cinder.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
!define ICON "${__FILEDIR__}\..\..\resources\icons\windows\cinder.ico"

!include "MUI2.nsh"
!include "x64.nsh"

Name "${APP_NAME}"
OutFile "${OUTDIR}\cinder-${VERSION}-win64-setup.exe"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP_NAME}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "FileDescription" "${APP_NAME} installer"
VIAddVersionKey "LegalCopyright" "Apache License 2.0"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP_NAME}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${APP_NAME} needs 64-bit Windows."
    Abort
  ${EndIf}
  SetRegView 64
FunctionEnd

; The uninstaller removes the whole install folder, so refuse a folder that already holds
; something else (say "C:\Program Files" itself); an earlier Cinder install is fine.
Function .onVerifyInstDir
  IfFileExists "$INSTDIR\${APP_EXE}" ok
  FindFirst $0 $1 "$INSTDIR\*.*"
  loop:
    StrCmp $1 "" empty
    StrCmp $1 "." next
    StrCmp $1 ".." next
    FindClose $0
    Abort
  next:
    FindNext $0 $1
    Goto loop
  empty:
    FindClose $0
  ok:
FunctionEnd

Section "Cinder" SecMain
  SectionIn RO
  ; Drop files of an earlier version that this one no longer ships (Qt plugins come and go).
  IfFileExists "$INSTDIR\${APP_EXE}" 0 +2
    RMDir /r "$INSTDIR"
  SetOutPath "$INSTDIR"
  File /r "${STAGE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Function un.onInit
  SetRegView 64
FunctionEnd

; Removes the program only. Each user's encrypted profile (%APPDATA%\Cinder) stays: deleting
; someone's message store is their decision, made inside the app.
Section "Uninstall"
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  RMDir /r "$INSTDIR"
SectionEnd
