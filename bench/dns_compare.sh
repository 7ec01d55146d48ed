#!/usr/bin/env bash
# dnsperf against the agent's DNS path (dns_filter_server) and Debian's dnsmasq, both loaded with
# the same UT1 names, on this machine in the same run (docs/PERFORMANCE.md says how to read it).
#
#   bench/dns_compare.sh BUILD_DIR [SECONDS] [RUNS]
#
# BUILD_DIR: a Release build with dns_filter_server and clubsafe-index built. Needs dnsperf,
# dnsmasq and taskset; uses ports 5400-5402 on 127.0.0.1 only. Each server is pinned to CPU 0
# and dnsperf to CPU 1.
set -euo pipefail

build=$(realpath "$1")
server=${SERVER:-$build/bench/dns_filter_server}  # another build of it, to compare
seconds=${2:-10}
runs=${3:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
ut1="$repo/../shared/data/blocklists/ut1"
work=$(mktemp -d /tmp/clubsafe-dnsbench-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The UT1 categories whose default type is black and whose list is stored.
awk -F'\t' 'NR > 1 && $2 == "black" && $5 != "NOT STORED" { print $1 }' "$ut1/categories.tsv" \
  > "$work/categories"
for category in $(cat "$work/categories"); do zcat "$ut1/$category.domains.gz"; done |
  tr 'A-Z' 'a-z' | tr -d '\r' | grep -v -E '^[0-9.]+$' | grep -v -E '^\.|^$' | sort -u \
  > "$work/names"
echo "list: $(wc -l < "$work/categories") categories, $(wc -l < "$work/names") distinct names"

records=(--host-record=allowed.test,192.0.2.10 --host-record=www.allowed.test,192.0.2.11
         --host-record=mail.allowed.test,192.0.2.12 --host-record=cdn.allowed.test,192.0.2.13)
awk '{ print "address=/" $1 "/0.0.0.0" }' "$work/names" > "$work/dnsmasq-list.conf"
shuf -n 10000 --random-source=<(yes) "$work/names" | awk '{ print $1 " A" }' > "$work/blocked.txt"
printf '%s A\n' allowed.test www.allowed.test mail.allowed.test cdn.allowed.test > "$work/cached.txt"
"$build/tools/clubsafe-index/clubsafe-index" compile --ut1 "$ut1" --out "$work/ut1.index" > /dev/null

common=(--keep-in-foreground --no-resolv --no-hosts --listen-address=127.0.0.1 --bind-interfaces
        --user=nobody --pid-file= --log-facility=-)
dnsmasq "${common[@]}" --port=5401 --local-ttl=300 "${records[@]}" 2> "$work/upstream.log" &
pids+=($!)
mkdir -p "$work/state"
taskset -c 0 "$server" 5400 127.0.0.1:5401 "$work/ut1.index" \
  "$(paste -sd, "$work/categories")" "$work/state" > "$work/clubsafe.log" &
clubsafe=$!
pids+=($clubsafe)
taskset -c 0 dnsmasq "${common[@]}" --port=5402 --cache-size=10000 --local-ttl=300 \
  "${records[@]}" --conf-file="$work/dnsmasq-list.conf" 2> "$work/dnsmasq.log" &
dnsmasq=$!
pids+=($dnsmasq)
sleep 8  # dnsmasq reads 480k address lines

cpu() { awk '{ print $14 + $15, $14 }' "/proc/$1/stat"; }
ticks=$(getconf CLK_TCK)

# NAME PID PORT FILE: saturated queries/s and CPU per answer, then latency at 20k queries/s.
measure() {
  local name=$1 pid=$2 port=$3 file=$4
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$file" -l 2 -c 1 -q 100 > /dev/null
  read -r before userBefore < <(cpu "$pid")
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$file" -l "$seconds" -c 1 -q 100 \
    > "$work/perf.log"
  read -r after userAfter < <(cpu "$pid")
  local answered qps
  answered=$(awk '/Queries completed:/ { print $3 }' "$work/perf.log")
  qps=$(awk '/Queries per second:/ { print $4 }' "$work/perf.log")
  taskset -c 1 dnsperf -s 127.0.0.1 -p "$port" -d "$file" -l 5 -c 1 -Q 20000 -v 2> /dev/null |
    awk '$1 == ">" { print $NF }' | sort -n > "$work/latency"
  local count
  count=$(wc -l < "$work/latency")
  percentile() { sed -n "$(( (count * $1 + 999) / 1000 ))p" "$work/latency"; }
  awk -v n="$name" -v q="$qps" -v a="$answered" -v c=$((after - before)) \
      -v u=$((userAfter - userBefore)) -v t="$ticks" \
      -v p50="$(percentile 500)" -v p99="$(percentile 990)" -v p999="$(percentile 999)" \
      'BEGIN { printf "%-18s %9.0f q/s  %6.2f us/answer (user %5.2f)  p50/p99/p99.9 %4.0f/%4.0f/%5.0f us\n",
               n, q, c / t / a * 1e6, u / t / a * 1e6, p50 * 1e6, p99 * 1e6, p999 * 1e6 }'
}

for run in $(seq "$runs"); do
  echo "run $run:"
  measure "clubsafe blocked" "$clubsafe" 5400 "$work/blocked.txt"
  measure "dnsmasq blocked" "$dnsmasq" 5402 "$work/blocked.txt"
  measure "clubsafe cached" "$clubsafe" 5400 "$work/cached.txt"
  measure "dnsmasq cached" "$dnsmasq" 5402 "$work/cached.txt"
done
echo "resident: clubsafe $(awk '/VmRSS/ { print $2 }' /proc/$clubsafe/status) kB," \
     "dnsmasq $(awk '/VmRSS/ { print $2 }' /proc/$dnsmasq/status) kB"
kill "$clubsafe"
wait "$clubsafe" || true
tail -1 "$work/clubsafe.log"
