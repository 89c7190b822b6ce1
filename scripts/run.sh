#!/usr/bin/env bash
# Builds and runs the Kindred desktop app on Debian/Ubuntu, installing what it needs.
# Without an account or LLM key it opens on the first-run screen with the sample mailbox.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
install_packages $KINDRED_BUILD_PACKAGES
setup_rust
setup_ui
npm --prefix ui run build
cargo build --release --workspace --bin kindred-app --bin kindred
exec "$CARGO_TARGET_DIR/release/kindred-app" "$@"
