#!/usr/bin/env bash
# Writes scripts/proxy-link-order.txt, the order in which the release link (lld,
# --symbol-ordering-file; Package.swift, scripts/build-release.sh) lays out the
# sidecar's functions, from three profiles of the release `swiftmesh-proxy`:
#   1. CPU samples with call chains under load (every function on the stack
#      counts): the forwarding path, hottest first;
#   2. page faults with call chains under load after the proxy has unmapped its
#      start-up pages: what runs once per process or per connection (type
#      metadata, conformance look-ups, connection set-up);
#   3. start-up, from exec until the proxy answers and half a second more: page
#      faults with call chains, the binary evicted from the page cache and mapped
#      MADV_RANDOM so every first touch of a 4 KiB page faults (a warm page cache
#      maps large folios per fault and hides most functions), plus CPU samples
#      with call chains.
# Kept together, start-up code maps a few MiB instead of one large folio per
# function scattered over the binary: that is the process's peak RSS.
#
# Existing entries stay first and new ones are appended in the order they were
# first seen. A fault names only the first function to run on its page, so each
# round finds functions that shared a page with one found before: ROUNDS relinks
# and profiles start-up again until a round finds few new ones.
#
#   scripts/proxy-link-order.sh            (needs perf, nginx, wrk, h2load, cc)
#
# Environment: ROUNDS (8), SECONDS_PER_LOAD (2), CC (cc or clang).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
proxy=$root/.build/release/swiftmesh-proxy
order=$root/scripts/proxy-link-order.txt
seconds=${SECONDS_PER_LOAD:-2}
rounds=${ROUNDS:-8}
cc=${CC:-$(command -v cc || command -v clang || true)}
for tool in perf nginx wrk h2load python3 nm readelf curl; do
    command -v "$tool" >/dev/null || { echo "proxy-link-order: $tool is needed" >&2; exit 1; }
done
[ -n "$cc" ] || { echo "proxy-link-order: a C compiler is needed (CC)" >&2; exit 1; }
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

# Preloaded into the profiled start-up: MADV_RANDOM on the image's mappings
# turns off read-ahead, so each fault reads (and maps) one page.
cat >"$work/random-map.c" <<'C'
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
__attribute__((constructor)) static void random_map(void) {
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[4096];
    while (maps && fgets(line, sizeof line, maps)) {
        unsigned long start, end;
        if (strstr(line, "/swiftmesh-proxy") && sscanf(line, "%lx-%lx", &start, &end) == 2)
            madvise((void *)start, end - start, MADV_RANDOM);
    }
    if (maps) fclose(maps);
}
C
"$cc" -shared -fPIC -O2 -o "$work/random-map.so" "$work/random-map.c"

run_candidate() { # launches the candidate script with the given command prefix
    BENCH_LISTEN_PORT=$listen_port BENCH_UPSTREAM_PORT=$upstream_port BENCH_WORKDIR=$work SWIFTMESH_BIN=$work/proxy \
        "$@" "$root/scripts/proxy-bench-candidate.sh" >"$work/proxy.log" 2>&1 &
    launched=$!
    pids+=("$launched")
    for _ in $(seq 1 200); do
        curl -s -o /dev/null "http://127.0.0.1:$listen_port/" && return
        sleep 0.05
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

under_load() { # output file, perf arguments...
    local out=$1; shift
    run_candidate env
    local proxy_pid=$launched
    [ "${1:-}" = "--after-trim" ] && { shift; sleep 2; }  # the unmapping runs 1 s after the config
    perf record -q -g -o "$work/perf.data" "$@" -p "$proxy_pid" >/dev/null 2>"$work/perf.log" &
    local recorder=$!
    sleep 0.3
    loads
    kill -INT "$recorder"
    wait "$recorder" || true
    kill "$proxy_pid"
    wait "$proxy_pid" 2>/dev/null || true
    perf script -i "$work/perf.data" -F ip,dso >"$out" 2>/dev/null
}

startup() { # output file, library to preload or "", perf arguments... (under perf from exec)
    local out=$1 preload=$2; shift 2
    run_candidate perf record -q -g -o "$work/perf.data" "$@" -- env ${preload:+LD_PRELOAD=$preload}
    sleep 0.5
    local recorder=$launched proxy_pid
    proxy_pid=$(ps -o pid= --ppid "$recorder" | tr -d ' ')
    [ -n "$proxy_pid" ] || { echo "proxy-link-order: the start-up profile lost the proxy" >&2; exit 1; }
    kill "$proxy_pid"
    wait "$recorder" || true
    perf script -i "$work/perf.data" -F ip,dso >"$out" 2>/dev/null
}

evict() { # drops the binary's pages from the page cache
    python3 -c 'import os,sys
fd=os.open(sys.argv[1],os.O_RDONLY); os.posix_fadvise(fd,0,0,os.POSIX_FADV_DONTNEED); os.close(fd)' "$proxy"
}

append() { # profile files... -> new functions appended to $order
    nm --defined-only "$proxy" >"$work/symbols.txt"
    readelf -lW "$proxy" >"$work/segments.txt"
    python3 - "$order" "$work/symbols.txt" "$work/segments.txt" "$(basename "$proxy")" "$@" <<'PY'
import bisect, collections, os, re, sys
order_path, symbols_path, segments_path, image = sys.argv[1:5]
profiles = sys.argv[5:]
symbols = []
for line in open(symbols_path):
    fields = line.split()
    if len(fields) == 3 and fields[1] in 'tTwW':
        symbols.append((int(fields[0], 16), fields[2]))
symbols.sort()
starts = [address for address, _ in symbols]
# perf prints call-chain addresses as offsets into the file; nm prints virtual
# addresses: the executable segment's p_vaddr - p_offset converts.
segment = next(l.split() for l in open(segments_path) if l.split()[:1] == ['LOAD'] and ' R E ' in l)
delta = int(segment[2], 16) - int(segment[1], 16)
entry = re.compile(r'^\t\s*([0-9a-f]+) \((.*)\)$')
def functions(path):
    for line in open(path):
        match = entry.match(line)
        if match and os.path.basename(match.group(2)) == image:
            index = bisect.bisect_right(starts, int(match.group(1), 16) + delta) - 1
            if index >= 0:
                yield symbols[index][1]
existing = [l.strip() for l in open(order_path)] if os.path.exists(order_path) else []
seen = set(existing)
new = []
for path in profiles:
    found = functions(path)
    if path.endswith('.hot'):  # hottest first
        found = [name for name, _ in collections.Counter(found).most_common()]
    for name in found:
        if name not in seen:
            seen.add(name)
            new.append(name)
with open(order_path, 'a') as out:
    out.writelines(name + '\n' for name in new)
print(f'proxy-link-order: {len(seen)} functions ({len(new)} new)')
PY
}

relink() {
    rm -f "$proxy"
    (cd "$root" && swift build -c release -Xswiftc -Xfrontend -Xswiftc -function-sections --product swiftmesh-proxy >/dev/null)
}

under_load "$work/load.hot" -F 4000 -e cpu-clock
under_load "$work/load.faults" --after-trim -e page-faults -c 1
for round in $(seq 1 "$rounds"); do
    evict
    startup "$work/startup.faults" "$work/random-map.so" -e page-faults -c 1
    startup "$work/startup.cpu" "" -e cpu-clock -F 30000
    if [ "$round" = 1 ]; then
        append "$work/load.hot" "$work/load.faults" "$work/startup.faults" "$work/startup.cpu"
    else
        append "$work/startup.faults" "$work/startup.cpu"
    fi
    relink
done
