#!/usr/bin/env bash
# Idle memory of the desktop app: fills a fresh store with the sample mailbox at MESSAGES
# messages (50,000 by default), starts the app on it under Xvfb with its window open,
# leaves it alone for IDLE seconds (120 by default: the first launch computes the
# insights, and the store gives its page caches back a minute after its last use) and
# prints the resident memory (RSS) and the proportional set size (PSS, shared pages split
# between their users) of the app and each of its webview processes, then the totals.
# The app and the `kindred` CLI must come from the same build (an older app refuses a
# newer database). MESSAGES=0 leaves the store empty: the app rests on its welcome screen,
# which measures what the webview and the shell cost before any data (the floor).
# STATE says how the app rests: `open` (the default) with its window open; `tray` started
# at login (`--background`), no window made; `closed` with its window open for a minute,
# then closed (scripts/close_window.py) and left IDLE seconds in the tray, where the window
# is let go a minute after it closed:
# With KINDRED_BENCH_DIR, the store is kept there and filled only when it is not yet, so a
# second run measures a later launch (insights already stored) rather than the first:
#   bash scripts/bench_idle_rss.sh [APP] [KINDRED] [MESSAGES] [IDLE] [STATE]
# defaults: $CARGO_TARGET_DIR/release/kindred-app and .../release/kindred.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
app=$(realpath "${1:-$target/release/kindred-app}")
kindred=$(realpath "${2:-$target/release/kindred}")
messages=${3:-50000}
idle=${4:-120}
state=${5:-open}
case "$state" in open | tray | closed) ;; *) echo "STATE is open, tray or closed" >&2; exit 2 ;; esac
if [ -n "${KINDRED_BENCH_DIR:-}" ]; then
    work=$KINDRED_BENCH_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
export KINDRED_SECRETS="file:$work/secrets.json" KINDRED_DATA_DIR="$work/data"

if [ "$messages" -gt 0 ] && [ ! -e "$work/filled" ]; then
    "$kindred" sample --scale "$messages" --json >/dev/null
    touch "$work/filled"
fi
echo "machine: $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "store: $messages messages; app: $app; resting $state for $idle s"

xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- bash -s "$app" "$idle" "$state" <<'MEASURE'
set -euo pipefail
app=$1
idle=$2
state=$3
if [ "$state" = tray ]; then "$app" --background >/dev/null 2>&1 & else "$app" >/dev/null 2>&1 & fi
pid=$!
if [ "$state" = closed ]; then
    # A minute of use-free opening (the first launch computes its insights), then close.
    sleep 60
    python3 scripts/close_window.py Kindred
fi
# The measurement window: the app is left alone, nothing waits on it.
sleep "$idle"
kill -0 "$pid" || { echo "the app exited during the idle window" >&2; exit 1; }
descendants() {
    echo "$1"
    for child in $(pgrep -P "$1"); do descendants "$child"; done
}
rss_total=0
pss_total=0
for process in $(descendants "$pid"); do
    rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$process/status")
    pss=$(awk '/^Pss:/ { print $2 }' "/proc/$process/smaps_rollup")
    printf '%-24s RSS %6d MB  PSS %6d MB\n' "$(cat "/proc/$process/comm")" $((rss / 1024)) $((pss / 1024))
    rss_total=$((rss_total + rss))
    pss_total=$((pss_total + pss))
done
printf '%-24s RSS %6d MB  PSS %6d MB\n' "total" $((rss_total / 1024)) $((pss_total / 1024))
kill "$pid"
wait "$pid" || true
MEASURE
