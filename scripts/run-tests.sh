#!/usr/bin/env bash
# Installs what is needed, builds clubsafe, and runs every test: unit, integration (real
# binaries on 127.0.0.1), browser (Debian's Chromium) and desktop (the notice program on Xvfb);
# then a Release build of the shipped programs, packaged and tested in a booted Debian 12
# (system); the unit tests again under AddressSanitizer and UndefinedBehaviorSanitizer, a
# minute of libFuzzer on the batch decoder and half a minute each on the DNS packet parser and
# on the domain list importers and index loader, and twenty seconds each on search terms from
# URLs, on the phrase matcher and on the notice socket's messages. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash scripts/install-deps.sh
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

jobs=2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0

# Runs ctest with the given arguments and adds its passed tests to the total.
run_ctest() {
  ctest --output-on-failure "$@" | tee "$work/ctest.log"
  local count
  count=$(sed -n 's/^100% tests passed, 0 tests failed out of \([0-9]*\)$/\1/p' "$work/ctest.log")
  passed=$((passed + ${count:-0}))
}

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLUBSAFE_PACKAGE_BUILD_DIR="$PWD/build-release"
cmake --build build -j"$jobs"
run_ctest --test-dir build -L unit -j"$jobs"
run_ctest --test-dir build -L 'integration|browser|desktop'

# The shipped programs as a package build makes them (Release: -O3, where GCC 12 warns
# differently), with warnings as errors like every other build.
cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCLUBSAFE_BUILD_TESTS=OFF \
  -DCLUBSAFE_BUILD_BENCH=OFF
cmake --build build-release -j"$jobs" --target clubsafe-agent clubsafe-collector clubsafe-notice
# Their Debian packages installed, run, upgraded and purged in a booted Debian 12
# (tests/system/debian_packages_test.sh).
run_ctest --test-dir build -L system

cmake -S . -B build-sanitize -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCLUBSAFE_SANITIZE=ON \
  -DCLUBSAFE_BUILD_BENCH=OFF
cmake --build build-sanitize -j"$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp" run_ctest --test-dir build-sanitize -L unit -j"$jobs"

CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCLUBSAFE_FUZZ=ON -DCLUBSAFE_SANITIZE=ON -DCLUBSAFE_BUILD_TESTS=OFF -DCLUBSAFE_BUILD_BENCH=OFF
cmake --build build-fuzz -j"$jobs" --target batch_codec_fuzz dns_packet_fuzz domain_list_fuzz \
  search_terms_fuzz phrase_matcher_fuzz notice_protocol_fuzz

# Runs a fuzzer for the given seconds from its seed corpus; a finding fails the whole run.
run_fuzzer() {
  local name=$1 seconds=$2 max_len=$3 corpus=$4 what=$5
  mkdir -p "$work/corpus-$name"
  if ! "build-fuzz/tests/fuzz/$name" -max_total_time="$seconds" -max_len="$max_len" \
      -print_final_stats=1 "$work/corpus-$name" "$corpus" > "$work/$name.log" 2>&1; then
    tail -n 60 "$work/$name.log"
    echo "The $what fuzzer found a crash (above)."
    exit 1
  fi
  grep -E '^(Done|stat::new_units_added)' "$work/$name.log"
  passed=$((passed + 1))
}
run_fuzzer batch_codec_fuzz 60 8192 tests/fuzz/corpus "batch decoder"
run_fuzzer dns_packet_fuzz 30 4096 tests/fuzz/corpus-dns "DNS packet"
run_fuzzer domain_list_fuzz 30 8192 tests/fuzz/corpus-domain-list "domain list and index file"
run_fuzzer search_terms_fuzz 20 4096 tests/fuzz/corpus-search-terms "search terms"
run_fuzzer phrase_matcher_fuzz 20 8192 tests/fuzz/corpus-phrases "phrase library and matcher"
run_fuzzer notice_protocol_fuzz 20 20000 tests/fuzz/corpus-notice "notice protocol and service"

echo "all: $passed passed, 0 failed"
