#!/usr/bin/env bash
# Runs Kindred's whole test suite on Debian/Ubuntu, installing what it needs: formatting,
# lints, the UI's type check, lint and browser tests, every Rust test (the real keyring
# under a private D-Bus session, the real app in a real window under Xvfb) and the
# generated-bindings check.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
install_packages $KINDRED_BUILD_PACKAGES $KINDRED_TEST_PACKAGES
setup_rust
setup_ui
setup_tauri_driver

step() { printf '\n==> %s\n' "$*" >&2; }

step "format"
cargo fmt --all --check
step "UI type check and lint"
npm --prefix ui run check
npm --prefix ui run lint
step "UI build (embedded in the app)"
npm --prefix ui run build
step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings
step "UI tests (Vitest, Playwright in Debian's Chromium)"
npm --prefix ui test
step "Rust tests (real keyring, real window)"
mkdir -p tests/artifacts
log=tests/artifacts/cargo-test.log
set +e
xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- \
    bash scripts/with-keyring.sh cargo test --workspace --locked 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
# One closing line for the whole Rust suite (the last binary cargo runs may hold no test).
awk '/^test result:/ { passed += $4; failed += $6 }
     END { printf "rust: %d passed, %d failed\n", passed, failed }' "$log"
exit "$status"
