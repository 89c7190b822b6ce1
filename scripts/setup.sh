# Installs what building and testing Kindred needs on Debian/Ubuntu. Sourced by run.sh
# and test.sh; every step is skipped when its result is already there.

KINDRED_BUILD_PACKAGES="build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev \
libxdo-dev libayatana-appindicator3-dev librsvg2-dev"
KINDRED_TEST_PACKAGES="xvfb xauth webkit2gtk-driver gnome-keyring dbus-x11 chromium curl"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# install_packages PACKAGE...: apt-get install whichever are missing.
install_packages() {
    local missing=()
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$package")
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        echo "setup: installing ${missing[*]}" >&2
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    fi
}

# The pinned toolchain (rust-toolchain.toml) is used as installed; when the machine's
# stable toolchain is that version under another name, link it rather than download.
setup_rust() {
    local pinned
    pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
    if ! rustup run "$pinned" rustc --version >/dev/null 2>&1; then
        if rustup run stable rustc --version 2>/dev/null | grep -q " $pinned "; then
            rustup toolchain link "$pinned" "$(rustup run stable rustc --print sysroot)"
        fi
    fi
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/kindred/target}"
}

# `npm install` with the committed lock rather than `npm ci`: registry mirrors that carry
# only some platforms' optional packages (the Tauri CLI ships one per platform) leave those
# out of the lock, and `npm ci` then refuses a lock it finds out of sync.
setup_ui() {
    if [ ! -d ui/node_modules ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
        npm --prefix ui install --no-audit --no-fund >&2
    fi
}

setup_tauri_driver() {
    if ! command -v tauri-driver >/dev/null 2>&1; then
        cargo install tauri-driver --version ^2 --locked >&2
    fi
}
