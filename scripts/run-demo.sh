#!/usr/bin/env bash
# Installs what is needed, builds clubsafe, and runs the collector (console on this machine,
# embedded SQLite, self-signed certificate) with an agent on this machine enrolled to it, until
# Ctrl-C. State is kept in ./demo-state so a second run picks up where the first left off.
# The agent runs in demo mode: it changes no system settings. Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j2 --target clubsafe-collector clubsafe-agent clubsafe-notice

port="${CLUBSAFE_DEMO_PORT:-8443}"
state="$PWD/demo-state"
collector=(build/collector/clubsafe-collector --define "collector.state_dir=$state/collector"
           --define server.address=127.0.0.1 --define "server.port=$port")
agent=(build/agent/clubsafe-agent --define "agent.state_dir=$state/agent")
mkdir -p "$state"

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"${collector[@]}" > "$state/collector.out" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  grep -q "clubsafe collector is running" "$state/collector.out" 2>/dev/null && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$state/collector.out"; exit 1; }
  sleep 0.2
done

# The first run fills the demo's filter lists from the UT1 copy beside the repository, when there
# is one (the lists are the Université Toulouse Capitole's, CC BY-SA 4.0: see its LICENSE.pdf).
ut1="$PWD/../shared/data/blocklists/ut1"
if [ ! -f "$state/lists-imported" ] && [ -d "$ut1" ]; then
  "${collector[@]}" import-list --ut1-dir "$ut1" \
    --categories gambling,drogue,agressif,malware,phishing,hacking,vpn,redirector,doh,dating,mixed_adult \
    --reason "Demo: lists from UT1 (CC BY-SA 4.0)" > "$state/import-list.out" 2>&1 \
    && touch "$state/lists-imported" || cat "$state/import-list.out"
fi

if [ ! -f "$state/agent/credentials.json" ]; then
  enrol_command=$("${collector[@]}" create-enrolment-token "This machine" | grep -- '--token')
  read -r -a words <<< "${enrol_command#sudo clubsafe-agent }"
  "${agent[@]}" "${words[@]}" --name "$(hostname) (demo)"
fi
# The DNS filter on a high port, so the demo never takes over this machine's own lookups.
dns_port="${CLUBSAFE_DEMO_DNS_PORT:-5354}"
# The block page on a high port too; the notice socket in the demo's folder, open to the user
# who started the demo (this machine may have no logind to say who is logged in).
block_port="${CLUBSAFE_DEMO_BLOCK_PAGE_PORT:-8081}"
demo_user="${SUDO_USER:-$(id -un)}"
"${agent[@]}" run --define heartbeat.interval=15 --define "dns.port=$dns_port" \
  --define "blockpage.port=$block_port" --define "notices.socket_path=$state/notice.sock" \
  --define "notices.allowed_users=$demo_user" \
  > "$state/agent.out" 2>&1 &
pids+=($!)

cat "$state/collector.out"
cat <<EOT

The agent on this machine is enrolled and reporting (its log: $state/agent.out).
Its DNS filter answers on 127.0.0.1 port $dns_port: try
  dig @127.0.0.1 -p $dns_port use-application-dns.net   (NXDOMAIN: browsers keep their DoH off)
  dig @127.0.0.1 -p $dns_port 0-casino.info             (127.0.0.2, the block page: gambling, blocked for juniors)
  dig @127.0.0.1 -p $dns_port www.google.com            (forcesafesearch.google.com)
The block page a browser would show for it:
  curl -H 'Host: 0-casino.info' http://127.0.0.2:$block_port/
On a desktop, what a young person sees (the monitoring notice, signing in, Report a worry),
run as $demo_user in a graphical session:
  $PWD/build/notice/clubsafe-notice --socket $state/notice.sock
Open the console address above in a browser on this machine; the certificate is self-signed,
so the browser asks you to accept it once. Press Ctrl-C to stop both.
EOT
wait "${pids[0]}"
