#!/usr/bin/env bash
# Runs a command with an unlocked gnome-keyring (Secret Service) in the current D-Bus
# session, so tests exercise the real system keyring on a headless machine. Its keyrings
# live in a throwaway directory, never the person's own.
set -euo pipefail
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data"
mkdir -p "$XDG_DATA_HOME"
eval "$(printf 'kindred-test' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
"$@"
