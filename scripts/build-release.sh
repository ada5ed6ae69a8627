#!/usr/bin/env bash
# Release builds of the three executables (swiftmesh, swiftmesh-proxy,
# swiftmesh-bench) with every module, dependencies included, compiled with
# function sections: the sidecar's link then lays its code out in the order of
# scripts/proxy-link-order.txt (see Package.swift and docs/proxy.md "Memory").
# The same flags for all three keep one set of release objects.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release -Xswiftc -Xfrontend -Xswiftc -function-sections)
for product in swiftmesh swiftmesh-proxy swiftmesh-bench; do
    swift build "${flags[@]}" --product "$product" "$@"
done
