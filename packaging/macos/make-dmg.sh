#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# packaging/macos/make-dmg.sh — build Cinder-<version>.dmg on macOS.
# UNTESTED: written on Linux, never run on a Mac yet; packaging/macos/README.md is the recipe.
#
# Usage: packaging/macos/make-dmg.sh [BUILD_DIR]
#   BUILD_DIR     a configured build directory (default: build/release)
# Environment:
#   MACDEPLOYQT   path to macdeployqt (default: on PATH, e.g. $(brew --prefix qt)/bin)
#   SIGN_ID       codesign identity ("Developer ID Application: …"); unset = ad-hoc signature,
#                 fine on the building Mac, refused by Gatekeeper elsewhere
#   NOTARY_PROFILE  a `xcrun notarytool store-credentials` profile; set = notarize and staple
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(cd "${1:-$ROOT/build/release}" && pwd)
HERE="$ROOT/packaging/macos"
die() { echo "make-dmg.sh: $*" >&2; exit 1; }

[[ $(uname -s) == Darwin ]] || die "runs on macOS only"
[[ -f "$BUILD/CMakeCache.txt" ]] || die "$BUILD is not a configured build directory"
MACDEPLOYQT=${MACDEPLOYQT:-$(command -v macdeployqt || true)}
[[ -x "$MACDEPLOYQT" ]] || die "macdeployqt not found (set MACDEPLOYQT)"
VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$BUILD/CMakeCache.txt")

STAGE="$BUILD/dmg-stage"
APP="$STAGE/Cinder.app"
DMG="$BUILD/packages/Cinder-$VERSION.dmg"

cmake --build "$BUILD" --target cinder
rm -rf "${STAGE:?}"
cmake --install "$BUILD" --prefix "$STAGE"
rm -rf "${STAGE:?}/bin"   # cinder-server and cinder-cli: not part of the app bundle
[[ -d "$APP" ]] || die "no $APP after install (is packaging/Packaging.cmake included?)"

# Qt frameworks, plugins and the QML modules ui/ imports go into the bundle.
"$MACDEPLOYQT" "$APP" -qmldir="$ROOT/ui" -verbose=1

# Sign inside-out: macdeployqt copied unsigned frameworks; --deep signs them, then the app itself
# gets the hardened runtime and the camera/microphone entitlements.
SIGN=${SIGN_ID:--}
codesign --force --deep --options runtime --timestamp --sign "$SIGN" "$APP"
codesign --force --options runtime --timestamp --entitlements "$HERE/cinder.entitlements" \
    --sign "$SIGN" "$APP"
codesign --verify --deep --strict --verbose=2 "$APP"

ln -s /Applications "$STAGE/Applications"
mkdir -p "$(dirname "$DMG")"
rm -f "$DMG"
hdiutil create -volname "Cinder $VERSION" -srcfolder "$STAGE" -fs HFS+ -format UDZO -ov "$DMG"
if [[ -n ${SIGN_ID:-} ]]; then codesign --timestamp --sign "$SIGN_ID" "$DMG"; fi

if [[ -n ${NOTARY_PROFILE:-} ]]; then
    xcrun notarytool submit "$DMG" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$DMG"
fi
echo "make-dmg.sh: $DMG"
