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
# The AppImage needs linuxdeploy, its AppImage plugin and Tauri's AppRun, which the Tauri
# CLI downloads from GitHub into ~/.cache/tauri/ on first use; no package registry ships
# them (Debian 12, PyPI and npm were checked), so without GitHub access they must be put
# there by hand, and the script stops first, naming what is missing.
#
# Signed update artifacts (tauri.conf.json: bundle.createUpdaterArtifacts) are made when
# the release key is in the environment (TAURI_SIGNING_PRIVATE_KEY, and its password in
# TAURI_SIGNING_PRIVATE_KEY_PASSWORD; see docs/releasing.md). Without it the packages are
# built unsigned, for local use, and no update artifacts are made.
#
# scripts/check_deb.sh installs the .deb and launches it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
bundles="${1:-deb,appimage}"
if [[ ",$bundles," == *,appimage,* ]]; then
    tools="${XDG_CACHE_HOME:-$HOME/.cache}/tauri"
    arch=$(uname -m)
    missing=()
    for tool in "linuxdeploy-$arch.AppImage" "linuxdeploy-plugin-appimage-$arch.AppImage" \
        "AppRun-$arch" linuxdeploy-plugin-gtk.sh; do
        [[ -e "$tools/$tool" ]] || missing+=("$tool")
    done
    if ((${#missing[@]} > 0)); then
        echo "bundle.sh: cannot build the AppImage: ${missing[*]} missing from $tools/." >&2
        echo "  The Tauri CLI downloads these from GitHub (linuxdeploy/linuxdeploy," >&2
        echo "  linuxdeploy/linuxdeploy-plugin-appimage, tauri-apps/binary-releases)," >&2
        echo "  which this machine cannot reach, and no package registry ships them." >&2
        echo "  Copy them into $tools/ from a machine that can, or build the .deb only:" >&2
        echo "  bash scripts/bundle.sh deb" >&2
        exit 1
    fi
fi
install_packages $KINDRED_BUILD_PACKAGES file
setup_rust
setup_ui
config='{"build":{"beforeBuildCommand":""}}'
if [[ -z "${TAURI_SIGNING_PRIVATE_KEY:-}" ]]; then
    echo "bundle.sh: TAURI_SIGNING_PRIVATE_KEY is not set: unsigned packages, no update artifacts" >&2
    config='{"build":{"beforeBuildCommand":""},"bundle":{"createUpdaterArtifacts":false}}'
fi
# Every platform's icons from the one source; the desktop ones are kept (the source
# itself stays as it is).
generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
npm --prefix ui exec -- tauri icon icons/icon.png --output "$generated" >&2
cp "$generated"/{32x32.png,128x128.png,128x128@2x.png,icon.icns,icon.ico} icons/
# Tauri runs beforeBuildCommand in the parent of the folder holding tauri.conf.json (it
# expects src-tauri/); ours is the repository's root, so the UI is built here instead.
npm --prefix ui run build >&2
npm --prefix ui exec -- tauri build --bundles "$bundles" --config "$config" >&2
ls -1 "$CARGO_TARGET_DIR"/release/bundle/*/* 2>/dev/null
