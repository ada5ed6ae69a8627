#!/usr/bin/env bash
# mTLS sidecar-to-sidecar benchmark (a benchmark, not a test): a client sidecar
# takes plaintext HTTP/1.1 and forwards over mutual TLS (SPIFFE SANs checked both
# ways, as Istio's ISTIO_MUTUAL) to a server sidecar, which forwards to an nginx
# upstream answering 1 KB. Stock Envoy 1.40 and `swiftmesh proxy` run the same two
# bootstraps in the same run, one worker each, both sidecars pinned to one core,
# the load (wrk) and upstream on the other. Prints requests/s, the sidecars' CPU per
# 1,000 requests/s, and full mTLS handshakes/s at the server sidecar
# (`openssl s_time -new` with a client certificate) with its CPU per handshake.
#
#   scripts/mtls-bench.sh            # DURATION=10 CONNS=32 by default
#
# Needs nginx, wrk, openssl, taskset; .venv's Envoy (or ENVOY_BIN) and a release
# build of swiftmesh (or SWIFTMESH_BIN). Stops everything it started by PID.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
envoy=${ENVOY_BIN:-$(ls "$root"/.venv/lib/python3*/site-packages/envoy/_bin/envoy 2>/dev/null | head -1)}
swiftmesh=${SWIFTMESH_BIN:-$root/.build/release/swiftmesh}
duration=${DURATION:-10}
conns=${CONNS:-32}
up_port=${UPSTREAM_PORT:-19180}
client_port=${CLIENT_PORT:-19181}
server_port=${SERVER_PORT:-19182}
for tool in nginx wrk openssl taskset; do command -v "$tool" >/dev/null || { echo "mtls-bench: $tool is missing" >&2; exit 1; }; done
[ -x "$envoy" ] || { echo "mtls-bench: no Envoy (ENVOY_BIN or .venv)" >&2; exit 1; }
[ -x "$swiftmesh" ] || { echo "mtls-bench: no $swiftmesh (scripts/build-release.sh)" >&2; exit 1; }
work=$(mktemp -d /tmp/mtls-bench.XXXXXX)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# --- certificates: one root, a SPIFFE identity per sidecar ------------------
cd "$work"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /O=bench-root \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign -keyout root.key -out root.pem 2>/dev/null
for name in client server; do
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /O=mesh \
    -addext "subjectAltName=URI:spiffe://cluster.local/ns/bench/sa/$name" -keyout $name.key -out $name.csr 2>/dev/null
  openssl x509 -req -in $name.csr -CA root.pem -CAkey root.key -CAcreateserial -days 1 -copy_extensions copyall -out $name.pem 2>/dev/null
done

# --- upstream: nginx answering 1 KB ------------------------------------------
body=$(head -c 1024 /dev/zero | tr '\0' 'x')
mkdir -p nginx
cat > nginx/nginx.conf <<NGINX
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx; uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$up_port; location / { return 200 "$body"; } }
}
NGINX
taskset -c 0 nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)

hcm() { # stat prefix, cluster
  cat <<JSON
{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
  "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
  "stat_prefix": "$1", "codec_type": "AUTO", "generate_request_id": false,
  "route_config": {"name": "r", "virtual_hosts": [{"name": "all", "domains": ["*"], "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "$2"}}]}]},
  "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]}}
JSON
}
san() { echo "{\"san_type\": \"URI\", \"matcher\": {\"exact\": \"spiffe://cluster.local/ns/bench/sa/$1\"}}"; }
cluster() { # name, port, tls json or empty
  echo "{\"name\": \"$1\", \"type\": \"STATIC\", \"connect_timeout\": \"1s\", ${3:+\"transport_socket\": $3,}
    \"load_assignment\": {\"cluster_name\": \"$1\", \"endpoints\": [{\"lb_endpoints\": [{\"endpoint\": {\"address\": {\"socket_address\": {\"address\": \"127.0.0.1\", \"port_value\": $2}}}}]}]}}"
}
# The server sidecar: mTLS in (client certificate required, SAN checked), plaintext to the app.
cat > server.json <<JSON
{"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
 "static_resources": {
  "listeners": [{"name": "inbound", "address": {"socket_address": {"address": "127.0.0.1", "port_value": $server_port}},
    "filter_chains": [{"filters": [$(hcm inbound app)],
      "transport_socket": {"name": "envoy.transport_sockets.tls", "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext",
        "require_client_certificate": true,
        "common_tls_context": {"alpn_protocols": ["http/1.1"],
          "tls_certificates": [{"certificate_chain": {"filename": "$work/server.pem"}, "private_key": {"filename": "$work/server.key"}}],
          "validation_context": {"trusted_ca": {"filename": "$work/root.pem"}, "match_typed_subject_alt_names": [$(san client)]}}}}}]}],
  "clusters": [$(cluster app $up_port)]}}
JSON
# The client sidecar: plaintext in, mTLS to the server sidecar (its SAN checked).
upstream_tls='{"name": "envoy.transport_sockets.tls", "typed_config": {
  "@type": "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext",
  "sni": "outbound_.9080_._.server.bench.svc.cluster.local",
  "common_tls_context": {"alpn_protocols": ["http/1.1"],
    "tls_certificates": [{"certificate_chain": {"filename": "'$work'/client.pem"}, "private_key": {"filename": "'$work'/client.key"}}],
    "validation_context": {"trusted_ca": {"filename": "'$work'/root.pem"}, "match_typed_subject_alt_names": ['$(san server)']}}}}'
cat > client.json <<JSON
{"admin": {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 0}}},
 "static_resources": {
  "listeners": [{"name": "outbound", "address": {"socket_address": {"address": "127.0.0.1", "port_value": $client_port}},
    "filter_chains": [{"filters": [$(hcm outbound server)]}]}],
  "clusters": [$(cluster server $server_port "$upstream_tls")]}}
JSON

ticks() { # total utime+stime clock ticks of the given pids
  local total=0
  for pid in "$@"; do set -- $(cut -d' ' -f14,15 "/proc/$pid/stat"); total=$((total + $1 + $2)); done
  echo $total
}
hz=$(getconf CLK_TCK)
wait_port() { for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; echo "mtls-bench: nothing listens on $1" >&2; return 1; }

results=()
run_plane() { # name
  local name=$1 server client
  if [ "$name" = envoy ]; then
    taskset -c 1 "$envoy" -c server.json --concurrency 1 --disable-hot-restart --base-id 71 -l error >server-$name.log 2>&1 & server=$!
    taskset -c 1 "$envoy" -c client.json --concurrency 1 --disable-hot-restart --base-id 72 -l error >client-$name.log 2>&1 & client=$!
  else
    local ports=(--admin-address 127.0.0.1:0 --prometheus-address 127.0.0.1:0 --health-address 127.0.0.1:0)
    taskset -c 1 "$swiftmesh" proxy -c server.json --concurrency 1 "${ports[@]}" >server-$name.log 2>&1 & server=$!
    taskset -c 1 "$swiftmesh" proxy -c client.json --concurrency 1 "${ports[@]}" >client-$name.log 2>&1 & client=$!
  fi
  pids+=($server $client)
  wait_port $server_port; wait_port $client_port
  curl -sf -o /dev/null "http://127.0.0.1:$client_port/" || { echo "mtls-bench: $name does not answer through mTLS" >&2; tail -5 server-$name.log client-$name.log >&2; exit 1; }
  taskset -c 0 wrk -t1 -c"$conns" -d2s "http://127.0.0.1:$client_port/" >/dev/null
  local before after rps
  before=$(ticks $server $client)
  rps=$(taskset -c 0 wrk -t1 -c"$conns" -d"${duration}s" "http://127.0.0.1:$client_port/" | awk '/Requests\/sec/ {print $2}')
  after=$(ticks $server $client)
  local cpu_per_krps
  cpu_per_krps=$(awk -v t=$((after - before)) -v hz=$hz -v d=$duration -v r="$rps" 'BEGIN { printf "%.3f", (t / hz / d) / (r / 1000) }')
  # Full handshakes (no resumption) with a client certificate, at the server sidecar.
  before=$(ticks $server)
  local handshakes
  handshakes=$(taskset -c 0 openssl s_time -connect 127.0.0.1:$server_port -new -time "$duration" -cert client.pem -key client.key -CAfile root.pem 2>/dev/null \
    | awk '/connections in .* real seconds/ {print $1 / $4; exit}')
  after=$(ticks $server)
  local total_handshakes cpu_per_handshake
  total_handshakes=$(awk -v h="$handshakes" -v d=$duration 'BEGIN { printf "%d", h * d }')
  cpu_per_handshake=$(awk -v t=$((after - before)) -v hz=$hz -v n="$total_handshakes" 'BEGIN { printf "%.0f", (n > 0 ? t / hz / n * 1e6 : 0) }')
  local rss
  rss=$(( ($(awk '/VmRSS/ {print $2}' /proc/$server/status) + $(awk '/VmRSS/ {print $2}' /proc/$client/status)) / 1024 ))
  results+=("$name ${rps:-0} ${cpu_per_krps:-0} ${handshakes:-0} ${cpu_per_handshake:-0} ${rss:-0}")
  echo "$name: ${rps:-0} req/s, ${handshakes:-0} handshakes/s" >&2
  kill $server $client 2>/dev/null || true
  wait $server $client 2>/dev/null || true
}

wait_port $up_port
run_plane envoy
run_plane swiftmesh
echo
echo "mTLS sidecar -> sidecar, 1 KB responses, $conns connections, ${duration}s, both sidecars on one core ($(date -u +%FT%TZ))"
printf '%-10s %12s %22s %16s %20s %14s\n' "proxy" "req/s" "vCPU per 1,000 req/s" "handshakes/s" "CPU µs/handshake" "RSS (2) MiB"
for line in "${results[@]}"; do
  set -- $line
  printf '%-10s %12.0f %22s %16.0f %20s %14s\n' "$1" "$2" "$3" "$4" "$5" "$6"
done
set -- ${results[0]}; e_rps=$2 e_cpu=$3 e_hs=$4 e_cph=$5
set -- ${results[1]}
awk -v a="$2" -v b="$e_rps" -v c="$3" -v d="$e_cpu" -v e="$4" -v f="$e_hs" -v g="$5" -v h="$e_cph" \
  'BEGIN { printf "ratio (swiftmesh / envoy): req/s %.2fx, CPU per 1,000 req/s %.2fx, handshakes/s %.2fx, CPU per handshake %.2fx\n", a/b, c/d, e/f, (h > 0 ? g/h : 0) }'
