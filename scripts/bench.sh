#!/usr/bin/env bash
# Import benchmark: a generated 50,000-message mbox (~200 MB) into a fresh encrypted
# store with FTS5 indexing; wall time and peak RSS of `kindred import`. With notmuch
# installed, `notmuch new` indexes the same mail (as a Maildir) side by side and the ratio
# is printed. `--large` also imports 500,000 messages to show that peak RSS stays flat.
# Usage: bash scripts/bench.sh [--large]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
install_packages $KINDRED_BUILD_PACKAGES time
setup_rust
[ -d ui/dist ] || { setup_ui; npm --prefix ui run build; }
cargo build --release --workspace --bin kindred >&2
kindred="$CARGO_TARGET_DIR/release/kindred"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export KINDRED_SECRETS="file:$work/secrets.json"

# measure LABEL COMMAND...: prints "LABEL: <seconds> s, peak RSS <MB> MB".
measure() {
    local label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null
    read -r seconds kilobytes <"$work/time"
    printf '%-34s %8.2f s   peak RSS %6d MB\n' "$label" "$seconds" $((kilobytes / 1024))
    echo "$seconds" >"$work/last"
}

import_bench() {
    local messages=$1
    "$kindred" sample --scale "$messages" --output "$work/mail-$messages" --json >/dev/null
    local bytes
    bytes=$(stat -c %s "$work/mail-$messages/sample.mbox")
    echo "mbox of $messages messages: $((bytes / 1000000)) MB" >&2
    measure "kindred import ($messages messages)" \
        "$kindred" --data-dir "$work/store-$messages" import "$work/mail-$messages/sample.mbox" --json
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
import_bench 50000
ours=$(cat "$work/last")

if command -v notmuch >/dev/null 2>&1; then
    python3 - "$work/mail-50000/sample.mbox" "$work/maildir" <<'PY'
import mailbox, sys
source, target = mailbox.mbox(sys.argv[1]), mailbox.Maildir(sys.argv[2], create=True)
for message in source:
    target.add(message)
PY
    printf '[database]\npath=%s\n[new]\ntags=unread;\n' "$work/maildir" >"$work/notmuch-config"
    measure "notmuch new (same mail, Maildir)" env NOTMUCH_CONFIG="$work/notmuch-config" notmuch new --quiet
    theirs=$(cat "$work/last")
    python3 -c "print(f'kindred is {$theirs / $ours:.1f}x faster than notmuch new')"
else
    echo "notmuch is not installed: no side-by-side figure (apt-get install notmuch)"
fi

if [ "${1:-}" = "--large" ]; then
    import_bench 500000
fi

echo "building the app for the start-up benchmark" >&2
install_packages $KINDRED_TEST_PACKAGES
setup_tauri_driver
cargo build --release --workspace --bin kindred-app >&2
# Each launch under its own display and D-Bus session, as a fresh login would start it.
for _ in 1 2 3 4 5; do
    xvfb-run -a -s "-screen 0 1280x900x24" dbus-run-session -- \
        python3 scripts/bench_startup.py "$CARGO_TARGET_DIR/release/kindred-app" "$work/store-50000" \
        2>/dev/null | tail -1
done | sort -n | awk '{ seconds[NR] = $1; shown = $2 }
    END { printf "app launch to overview painted (%d messages): median %.2f s, best %.2f s over %d runs\n",
          shown, seconds[int((NR + 1) / 2)], seconds[1], NR }'
