#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# resources/icons/render.sh — regenerate every raster icon from the SVG sources.
#
#   hicolor/scalable/apps/org.cinder.Cinder.svg  (source, installed as is)
#     -> hicolor/<N>x<N>/apps/org.cinder.Cinder.png  for N in 16 24 32 48 64 128 256 512
#     -> windows/cinder.ico   (16 24 32 48 64 256; needs icotool from icoutils)
#     -> macos/cinder.icns    (16 32 128 256 512 and @2x; needs png2icns from icnsutils)
#
# Needs rsvg-convert (Debian: librsvg2-bin); optipng (Debian: optipng) shrinks the PNGs losslessly
# when present. The .ico and .icns steps are skipped with a note when their tool is missing.
# Run it after editing the SVG and commit the results: the build never renders icons.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
SRC=hicolor/scalable/apps/org.cinder.Cinder.svg
SIZES=(16 24 32 48 64 128 256 512)

command -v rsvg-convert >/dev/null || {
    echo "render.sh: rsvg-convert not found (apt-get install librsvg2-bin)" >&2
    exit 1
}

for n in "${SIZES[@]}"; do
    out="hicolor/${n}x${n}/apps/org.cinder.Cinder.png"
    mkdir -p "$(dirname "$out")"
    rsvg-convert --width "$n" --height "$n" --keep-aspect-ratio "$SRC" --output "$out"
done

if command -v optipng >/dev/null; then
    # -strip all: no timestamps or text chunks, so re-running gives identical files.
    optipng -quiet -o7 -strip all hicolor/*/apps/org.cinder.Cinder.png
else
    echo "render.sh: optipng not found; PNGs left unoptimised (apt-get install optipng)" >&2
fi

png() { echo "hicolor/$1x$1/apps/org.cinder.Cinder.png"; }

if command -v icotool >/dev/null; then
    mkdir -p windows
    # Every size stored as a 32-bit RGBA PNG inside the .ico: Windows 10+ (all Qt 6 supports) reads
    # those, and the file stays small. Rendered afresh because optipng may turn the hicolor PNGs
    # into palette images, which Windows does not accept inside an .ico.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    ico_args=()
    for n in 16 24 32 48 64 256; do
        rsvg-convert --width "$n" --height "$n" "$SRC" --output "$tmp/$n.png"
        ico_args+=("--raw=$tmp/$n.png")
    done
    icotool --create --output windows/cinder.ico "${ico_args[@]}"
else
    echo "render.sh: icotool not found; windows/cinder.ico not rebuilt (apt-get install icoutils)" >&2
fi

if command -v png2icns >/dev/null; then
    mkdir -p macos
    png2icns macos/cinder.icns "$(png 16)" "$(png 32)" "$(png 48)" "$(png 128)" "$(png 256)" \
        "$(png 512)" >/dev/null
else
    echo "render.sh: png2icns not found; macos/cinder.icns not rebuilt (apt-get install icnsutils)" >&2
fi

for f in hicolor/*/apps/org.cinder.Cinder.png windows/cinder.ico macos/cinder.icns; do
    if [[ -f "$f" ]]; then printf '%8d  %s\n' "$(stat -c %s "$f")" "$f"; fi
done
