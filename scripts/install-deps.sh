#!/usr/bin/env bash
# Installs what building and testing SwiftMesh needs on a fresh Debian machine
# (Swift itself is expected on PATH). Idempotent: does nothing when all is present.
set -euo pipefail
packages=(libre2-dev libyaml-dev pkg-config)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}"
fi
