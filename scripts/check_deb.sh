#!/usr/bin/env bash
# Installs the .deb scripts/bundle.sh built, launches the installed app under a virtual
# display with a throwaway data folder, checks that it starts (its log file appears and
# it is still running after 15 s), then stops and uninstalls it.
#
#   bash scripts/check_deb.sh [PATH.deb]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
setup_rust
install_packages xvfb xauth
deb="${1:-$(ls -t "$CARGO_TARGET_DIR"/release/bundle/deb/*.deb | head -1)}"
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$(realpath "$deb")" >&2
package=$(dpkg-deb -f "$deb" Package)
binary=$(dpkg -L "$package" | grep -m1 '^/usr/bin/')
home=$(mktemp -d)
trap 'kill -- "-$app" 2>/dev/null || true; as_root dpkg -r "$package" >/dev/null; rm -rf "$home"' EXIT
KINDRED_DATA_DIR="$home/data" KINDRED_SECRETS="file:$home/secrets.json" \
    setsid xvfb-run -a "$binary" >"$home/stderr" 2>&1 &
app=$!
sleep 15
if ! kill -0 "$app" 2>/dev/null; then
    echo "check_deb: $binary exited early:" >&2
    cat "$home/stderr" >&2
    exit 1
fi
if ! ls "$home"/data/logs/kindred.*.log >/dev/null 2>&1; then
    echo "check_deb: $binary is running but wrote no log file" >&2
    exit 1
fi
echo "check_deb: $package $(dpkg-deb -f "$deb" Version) installed to $binary and running"
