#!/usr/bin/env bash
# Writes scripts/proxy-link-order.txt, the order in which the release link lays
# out the sidecar's functions (Package.swift, scripts/build-release.sh), from
# two profiles of the release `swiftmesh-proxy` under load:
#   1. perf samples with call chains (every function on the stack counts): the
#      forwarding path, hottest first;
#   2. page faults on code after the proxy has unmapped its start-up pages: what
#      runs once per process or per connection (type metadata, conformance
#      look-ups, connection set-up), appended in the order it first runs.
# The existing file's entries stay first and new ones are appended, so running
# it again after a relink finds the functions one 64 KiB fault-around window hid
# behind another. Loads: wrk HTTP/1.1 at 64 and 8 connections, connection churn
# (Connection: close) and h2load over h2c, through the benchmark's bootstrap.
#
#   scripts/proxy-link-order.sh            (needs perf, nginx, wrk, h2load)
#
# Environment: PROXY_BIN (.build/release/swiftmesh-proxy), SECONDS_PER_LOAD (2).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
proxy=${PROXY_BIN:-$root/.build/release/swiftmesh-proxy}
order=$root/scripts/proxy-link-order.txt
seconds=${SECONDS_PER_LOAD:-2}
for tool in perf nginx wrk h2load python3; do
    command -v "$tool" >/dev/null || { echo "proxy-link-order: $tool is needed" >&2; exit 1; }
done
[ -x "$proxy" ] || { echo "proxy-link-order: no $proxy (run scripts/build-release.sh)" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

read -r upstream_port listen_port < <(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
mkdir -p "$work/nginx/logs"
cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server { listen 127.0.0.1:$upstream_port; keepalive_requests 1000000; location / { return 200 "ok"; } }
}
NGINX
nginx -c "$work/nginx.conf" -p "$work/nginx" -e "$work/nginx/error.log"
for _ in $(seq 1 50); do [ -s "$work/nginx.pid" ] && break; sleep 0.1; done
pids+=("$(cat "$work/nginx.pid")")

# The benchmark's candidate script writes the bootstrap and execs "$bin proxy ...".
printf '#!/bin/sh\nshift\nexec "%s" "$@"\n' "$proxy" >"$work/proxy"
chmod +x "$work/proxy"

start_proxy() {
    BENCH_LISTEN_PORT=$listen_port BENCH_UPSTREAM_PORT=$upstream_port BENCH_WORKDIR=$work SWIFTMESH_BIN=$work/proxy \
        "$root/scripts/proxy-bench-candidate.sh" >"$work/proxy.log" 2>&1 &
    proxy_pid=$!
    pids+=("$proxy_pid")
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$listen_port/" && return
        sleep 0.1
    done
    echo "proxy-link-order: the proxy did not answer" >&2; exit 1
}

loads() {
    url=http://127.0.0.1:$listen_port/
    wrk -t1 -c64 -d"${seconds}s" "$url" >/dev/null
    wrk -t1 -c8 -d"${seconds}s" "$url" >/dev/null
    wrk -t1 -c8 -d"${seconds}s" -H 'Connection: close' "$url" >/dev/null
    h2load -c8 -m8 -D "$seconds" "$url" >/dev/null
}

profile() { # perf arguments...; output in $work/perf.data
    perf record -o "$work/perf.data" "$@" -p "$proxy_pid" >/dev/null 2>"$work/perf.log" &
    local recorder=$!
    sleep 0.3
    loads
    kill -INT "$recorder"
    wait "$recorder" || true
    kill "$proxy_pid"
    wait "$proxy_pid" 2>/dev/null || true
}

start_proxy
profile -g -F 4000 -e cpu-clock
perf script -i "$work/perf.data" --no-demangle -F ip,sym,dso >"$work/hot.txt" 2>/dev/null
start_proxy
sleep 2  # the proxy unmaps its start-up pages 1 s after its config is in force
profile -e page-faults -d
perf script -i "$work/perf.data" --no-demangle -F ip,sym,addr,dso >"$work/faults.txt" 2>/dev/null

python3 - "$work/hot.txt" "$work/faults.txt" "$order" "$(basename "$proxy")" <<'PY'
import collections, os, sys
hot_path, faults_path, order_path, image = sys.argv[1:5]
def ours(dso):
    return dso.strip('()').endswith('/' + image)
counts = collections.Counter()
for line in open(hot_path):
    fields = line.split()
    if len(fields) >= 3 and ours(fields[-1]) and not fields[1].startswith('['):
        counts[fields[1]] += 1
first_use = []
for line in open(faults_path):
    fields = line.split()
    # "addr sym (dso) ip sym (dso)"; an instruction fetch faults at its own address.
    if len(fields) == 6 and fields[0] == fields[3] and ours(fields[5]) and not fields[4].startswith('['):
        first_use.append(fields[4])
existing = [l.strip() for l in open(order_path)] if os.path.exists(order_path) else []
seen = set(existing)
added = 0
with open(order_path, 'w') as out:
    for entry in existing:
        out.write(entry + '\n')
    for symbol in [s for s, _ in counts.most_common()] + first_use:
        entry = '.text.' + symbol
        if entry not in seen:
            seen.add(entry)
            out.write(entry + '\n')
            added += 1
print(f'proxy-link-order: {len(seen)} functions in {order_path} ({added} new)')
PY
