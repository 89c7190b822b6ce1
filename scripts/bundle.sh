#!/usr/bin/env bash
# Builds the desktop app's Linux packages with the Tauri CLI (npm's @tauri-apps/cli in
# ui/): a .deb and an AppImage, with the desktop entry Tauri writes from tauri.conf.json,
# the version from the workspace's Cargo.toml, and the icons generated first from the one
# source image icons/icon.png (512×512) into icons/ (the PNG sizes, .icns for macOS and
# .ico for Windows, whose targets tauri.conf.json configures; they are built elsewhere). The packages land in $CARGO_TARGET_DIR/release/bundle/{deb,appimage}/.
#
#   bash scripts/bundle.sh               # deb and AppImage
#   bash scripts/bundle.sh deb           # one of them
#
# The AppImage step downloads linuxdeploy on its first run. scripts/check_deb.sh installs
# the .deb and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
install_packages $KINDRED_BUILD_PACKAGES file
setup_rust
setup_ui
bundles="${1:-deb,appimage}"
# Every platform's icons from the one source; the desktop ones are kept (the source
# itself stays as it is).
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
npm --prefix ui exec -- tauri icon icons/icon.png --output "$generated" >&2
cp "$generated"/{32x32.png,128x128.png,128x128@2x.png,icon.icns,icon.ico} icons/
# Tauri runs beforeBuildCommand in the parent of the folder holding tauri.conf.json (it
# expects src-tauri/); ours is the repository's root, so the UI is built here instead.
npm --prefix ui run build >&2
npm --prefix ui exec -- tauri build --bundles "$bundles" \
    --config '{"build":{"beforeBuildCommand":""}}' >&2
ls -1 "$CARGO_TARGET_DIR"/release/bundle/*/* 2>/dev/null
