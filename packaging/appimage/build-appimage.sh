#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# packaging/appimage/build-appimage.sh — build Cinder-<version>-<arch>.AppImage of the desktop app.
#
# Usage: packaging/appimage/build-appimage.sh [BUILD_DIR]
#   BUILD_DIR  a configured CMake build directory (default: build/release, from
#              `cmake --preset release`); the `cinder` target is built in it first.
#
# Needs linuxdeploy and its Qt plugin, which this script never downloads (see README.md here):
#   LINUXDEPLOY     path to linuxdeploy-<arch>.AppImage (default: found on PATH or in
#                   packaging/appimage/tools/)
#   the Qt plugin   linuxdeploy-plugin-qt-<arch>.AppImage next to linuxdeploy or on PATH
#   QMAKE           Qt 6 qmake (default: /usr/lib/qt6/bin/qmake, Debian's qt6-base-dev-tools)
#   OUT_DIR         where the AppImage goes (default: BUILD_DIR/packages)
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=$(realpath -m "${1:-$ROOT/build/release}")
ARCH=$(uname -m)
TOOLS="$ROOT/packaging/appimage/tools"

die() { echo "build-appimage.sh: $*" >&2; exit 1; }

[[ -f "$BUILD/CMakeCache.txt" ]] ||
    die "$BUILD is not a configured build directory (run: cmake --preset release)"

find_tool() { # name -> path or nothing
    local name=$1
    if [[ -x "$TOOLS/$name" ]]; then echo "$TOOLS/$name"; return; fi
    command -v "$name" || true
}
LINUXDEPLOY=${LINUXDEPLOY:-$(find_tool "linuxdeploy-$ARCH.AppImage")}
[[ -n "$LINUXDEPLOY" && -x "$LINUXDEPLOY" ]] ||
    die "linuxdeploy-$ARCH.AppImage not found; download it and linuxdeploy-plugin-qt-$ARCH.AppImage" \
        "into $TOOLS (chmod +x), or set LINUXDEPLOY (packaging/appimage/README.md)"
QT_PLUGIN_TOOL=$(PATH="$(dirname "$LINUXDEPLOY"):$PATH" command -v "linuxdeploy-plugin-qt-$ARCH.AppImage" ||
    true)
[[ -n "$QT_PLUGIN_TOOL" ]] ||
    die "linuxdeploy-plugin-qt-$ARCH.AppImage not found next to $LINUXDEPLOY or on PATH"
export QMAKE=${QMAKE:-/usr/lib/qt6/bin/qmake}
[[ -x "$QMAKE" ]] || die "Qt 6 qmake not found at $QMAKE (apt-get install qt6-base-dev-tools, or set QMAKE)"

VERSION=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
[[ -n "$VERSION" ]] || die "no CMAKE_PROJECT_VERSION in $BUILD/CMakeCache.txt"
OUT_DIR=$(realpath -m "${OUT_DIR:-$BUILD/packages}")
APPDIR="$BUILD/appimage/AppDir"

echo "==> building cinder in $BUILD"
cmake --build "$BUILD" --target cinder

echo "==> staging $APPDIR"
rm -rf "$APPDIR"
DESTDIR="$APPDIR" cmake --install "$BUILD" --prefix /usr --strip
# The AppImage runs the desktop app; the server and the headless client ship in the .deb/.tar.gz.
rm -f "$APPDIR/usr/bin/cinder-server" "$APPDIR/usr/bin/cinder-cli"
for f in usr/bin/cinder usr/share/applications/org.cinder.Cinder.desktop \
         usr/share/metainfo/org.cinder.Cinder.metainfo.xml \
         usr/share/icons/hicolor/256x256/apps/org.cinder.Cinder.png; do
    [[ -e "$APPDIR/$f" ]] || die "install did not produce $f (is packaging/Packaging.cmake included?)"
done

echo "==> linuxdeploy"
mkdir -p "$OUT_DIR"
cd "$OUT_DIR"
# linuxdeploy-plugin-qt: QML imports are found by scanning ui/. Not linked, so named explicitly: the
# SVG image/icon plugins (svg), Wayland's client-side plugins (the plugin deploys them for the
# module it calls waylandcompositor) and the Wayland platform plugins. EXTRA_QT_PLUGINS is the
# older name of EXTRA_QT_MODULES; both are set so either plugin version works.
export QML_SOURCES_PATHS="$ROOT/ui"
export EXTRA_QT_MODULES="svg;waylandcompositor"
export EXTRA_QT_PLUGINS="$EXTRA_QT_MODULES"
export EXTRA_PLATFORM_PLUGINS="libqwayland-egl.so;libqwayland-generic.so"
export OUTPUT="Cinder-$VERSION-$ARCH.AppImage"
export LDAI_OUTPUT="$OUTPUT"
# No FUSE inside containers and CI: run the tool AppImages extracted.
export APPIMAGE_EXTRACT_AND_RUN=1
"$LINUXDEPLOY" --appdir "$APPDIR" \
    --executable "$APPDIR/usr/bin/cinder" \
    --desktop-file "$APPDIR/usr/share/applications/org.cinder.Cinder.desktop" \
    --icon-file "$APPDIR/usr/share/icons/hicolor/256x256/apps/org.cinder.Cinder.png" \
    --plugin qt --output appimage

echo "==> $OUT_DIR/$OUTPUT"
