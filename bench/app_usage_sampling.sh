#!/usr/bin/env bash
# Measures app usage sampling once a second (docs/PERFORMANCE.md): Xvfb, Openbox and an xterm on a
# free display, then build/bench/app_usage_sampling for SECONDS (default 300).
# Usage: bench/app_usage_sampling.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?usage: $0 BUILD_DIR [SECONDS]}
seconds=${2:-300}
pids=()
chosen=$(mktemp)
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -f "$chosen"' EXIT
# Xvfb picks a free display and writes its number once it accepts connections.
Xvfb -displayfd 1 -screen 0 1024x768x24 -nolisten tcp >"$chosen" 2>/dev/null & pids+=($!)
for _ in $(seq 100); do [ -s "$chosen" ] && break; sleep 0.1; done
export DISPLAY=":$(head -1 "$chosen")"
openbox >/dev/null 2>&1 & pids+=($!)
sleep 1
xterm >/dev/null 2>&1 & pids+=($!)
xdotool search --sync --onlyvisible --class XTerm windowactivate --sync >/dev/null
"$build/bench/app_usage_sampling" "$seconds"
