#!/usr/bin/env bash
# Installs what is needed, builds clubsafe, and runs every test: unit, integration (real
# binaries on 127.0.0.1) and browser (Debian's Chromium), then the unit tests again under
# AddressSanitizer and UndefinedBehaviorSanitizer. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash scripts/install-deps.sh
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

jobs=2
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j"$jobs"
ctest --test-dir build -L unit -j"$jobs" --output-on-failure
ctest --test-dir build -L 'integration|browser' --output-on-failure

cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCLUBSAFE_SANITIZE=ON \
  -DCLUBSAFE_BUILD_BENCH=OFF
cmake --build build-sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-sanitize -L unit -j"$jobs" --output-on-failure
