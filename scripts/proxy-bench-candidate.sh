#!/usr/bin/env bash
# Starts `swiftmesh proxy` as the candidate of ../shared/bench/proxy-bench.sh:
# writes the same lean bootstrap the harness gives Envoy (one listener routing
# everything to the upstream cluster, no request ids), in JSON, then execs the
# proxy so the measured process is the proxy itself.
#
#   ../shared/bench/proxy-bench.sh --candidate 'exec scripts/proxy-bench-candidate.sh' \
#       --candidate-name swiftmesh --no-h2
#
# SWIFTMESH_BIN picks the binary (default: .build/release/swiftmesh next to this
# script); SWIFTMESH_CONCURRENCY the event-loop threads (default 1).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${SWIFTMESH_BIN:-$here/../.build/release/swiftmesh}
listen_port=${BENCH_LISTEN_PORT:-18084}
upstream_host=${BENCH_UPSTREAM_HOST:-127.0.0.1}
upstream_port=${BENCH_UPSTREAM_PORT:-18080}
conf=${BENCH_WORKDIR:-/tmp}/swiftmesh-proxy-bootstrap.json
cat >"$conf" <<JSON
{
  "static_resources": {
    "listeners": [{
      "name": "ingress",
      "address": {"socket_address": {"address": "127.0.0.1", "port_value": $listen_port}},
      "filter_chains": [{"filters": [{
        "name": "envoy.filters.network.http_connection_manager",
        "typed_config": {
          "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
          "stat_prefix": "ingress",
          "codec_type": "AUTO",
          "generate_request_id": false,
          "route_config": {"name": "local", "virtual_hosts": [{"name": "all", "domains": ["*"],
            "routes": [{"match": {"prefix": "/"}, "route": {"cluster": "upstream"}}]}]},
          "http_filters": [{"name": "envoy.filters.http.router",
            "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router", "suppress_envoy_headers": true}}]
        }
      }]}]
    }],
    "clusters": [{
      "name": "upstream", "type": "STATIC", "connect_timeout": "1s",
      "load_assignment": {"cluster_name": "upstream", "endpoints": [{"lb_endpoints": [{"endpoint":
        {"address": {"socket_address": {"address": "$upstream_host", "port_value": $upstream_port}}}}]}]}
    }]
  }
}
JSON
exec "$bin" proxy -c "$conf" --concurrency "${SWIFTMESH_CONCURRENCY:-1}"
