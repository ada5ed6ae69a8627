#!/usr/bin/env bash
# Regenerates the Swift code of the XDSAPI target from our own .proto subset of
# Envoy's v3 API.
#
#   Sources/XDSAPI/Protos/      the .proto files (hand-written; Envoy's layout,
#                               package names, message names and field numbers)
#   Sources/XDSAPI/Generated/   the generated Swift (committed; never edit by hand)
#
# Usage:  scripts/generate-xds-api.sh
#
# Needs: protoc (Debian `protobuf-compiler`, installed here when missing) and the
# two Swift plugins protoc-gen-swift (swift-protobuf 1.39.0) and
# protoc-gen-grpc-swift-2 (grpc-swift-protobuf 2.4.1). The plugins are taken, in
# this order, from $PROTOC_GEN_SWIFT / $PROTOC_GEN_GRPC_SWIFT, from a previous
# build in $XDS_PLUGIN_DIR (default /tmp/protoc-plugins), or built there once in a
# small side package outside the repository (about 2 minutes on 2 cores).
# Idempotent: running it twice gives the same files.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROTO_DIR="$ROOT/Sources/XDSAPI/Protos"
OUT_DIR="$ROOT/Sources/XDSAPI/Generated"
PLUGIN_DIR="${XDS_PLUGIN_DIR:-/tmp/protoc-plugins}"
SWIFT_PROTOBUF_VERSION="1.39.0"
GRPC_SWIFT_PROTOBUF_VERSION="2.4.1"

# --- protoc -------------------------------------------------------------------
if ! command -v protoc >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq protobuf-compiler
fi
# Well-known types (google/protobuf/*.proto) ship with protoc.
WKT_INCLUDE=""
for dir in /usr/include /usr/local/include; do
  if [ -f "$dir/google/protobuf/any.proto" ]; then WKT_INCLUDE="$dir"; break; fi
done
if [ -z "$WKT_INCLUDE" ]; then
  echo "error: google/protobuf/any.proto not found (install protobuf-compiler / libprotobuf-dev)" >&2
  exit 1
fi

# --- plugins ------------------------------------------------------------------
build_plugins() {
  echo "Building protoc plugins in $PLUGIN_DIR (one time)..." >&2
  mkdir -p "$PLUGIN_DIR"
  cat > "$PLUGIN_DIR/Package.swift" <<SWIFT
// swift-tools-version:6.2
// Side package that only builds the protoc plugins for scripts/generate-xds-api.sh.
import PackageDescription

let package = Package(
    name: "protoc-plugins",
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", exact: "$SWIFT_PROTOBUF_VERSION"),
        .package(url: "https://github.com/grpc/grpc-swift-protobuf.git", exact: "$GRPC_SWIFT_PROTOBUF_VERSION"),
    ]
)
SWIFT
  (cd "$PLUGIN_DIR" \
    && swift build -c release --product protoc-gen-swift \
    && swift build -c release --product protoc-gen-grpc-swift-2) >&2
}

PLUGIN_BIN="$PLUGIN_DIR/.build/release"
GEN_SWIFT="${PROTOC_GEN_SWIFT:-$PLUGIN_BIN/protoc-gen-swift}"
GEN_GRPC="${PROTOC_GEN_GRPC_SWIFT:-$PLUGIN_BIN/protoc-gen-grpc-swift-2}"
# The committed code must come from the pinned plugin versions.
plugins_ok() {
  [ -x "$GEN_SWIFT" ] && [ -x "$GEN_GRPC" ] \
    && [ "$("$GEN_SWIFT" --version 2>/dev/null)" = "protoc-gen-swift $SWIFT_PROTOBUF_VERSION" ] \
    && [ "$("$GEN_GRPC" --version 2>/dev/null)" = "protoc-gen-grpc-swift-2 $GRPC_SWIFT_PROTOBUF_VERSION" ]
}
if ! plugins_ok; then
  if [ -n "${PROTOC_GEN_SWIFT:-}${PROTOC_GEN_GRPC_SWIFT:-}" ]; then
    echo "error: PROTOC_GEN_SWIFT / PROTOC_GEN_GRPC_SWIFT must be protoc-gen-swift $SWIFT_PROTOBUF_VERSION and protoc-gen-grpc-swift-2 $GRPC_SWIFT_PROTOBUF_VERSION" >&2
    exit 1
  fi
  build_plugins
  plugins_ok || { echo "error: building the protoc plugins in $PLUGIN_DIR failed" >&2; exit 1; }
fi
echo "Using $("$GEN_SWIFT" --version) and $("$GEN_GRPC" --version)" >&2

# --- generate -----------------------------------------------------------------
cd "$PROTO_DIR"
mapfile -t PROTOS < <(find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort)
if [ ${#PROTOS[@]} -eq 0 ]; then
  echo "error: no .proto files under $PROTO_DIR" >&2
  exit 1
fi
# Only the protos that declare a service get gRPC stubs.
mapfile -t SERVICE_PROTOS < <(grep -l -E '^service ' "${PROTOS[@]}" | LC_ALL=C sort)

TMP_OUT="$(mktemp -d)"
trap 'rm -rf "$TMP_OUT"' EXIT

protoc \
  --proto_path="$PROTO_DIR" \
  --proto_path="$WKT_INCLUDE" \
  --plugin=protoc-gen-swift="$GEN_SWIFT" \
  --swift_out="$TMP_OUT" \
  --swift_opt=Visibility=Public,FileNaming=PathToUnderscores \
  "${PROTOS[@]}"

if [ ${#SERVICE_PROTOS[@]} -gt 0 ]; then
  protoc \
    --proto_path="$PROTO_DIR" \
    --proto_path="$WKT_INCLUDE" \
    --plugin=protoc-gen-grpc-swift-2="$GEN_GRPC" \
    --grpc-swift-2_out="$TMP_OUT" \
    --grpc-swift-2_opt=Visibility=Public,Server=true,Client=true,FileNaming=PathToUnderscores \
    "${SERVICE_PROTOS[@]}"
fi

# Replace the generated directory whole, so removed protos leave no stale files.
mkdir -p "$OUT_DIR"
find "$OUT_DIR" -name '*.swift' -delete
cp "$TMP_OUT"/*.swift "$OUT_DIR"/
echo "Generated $(ls "$OUT_DIR"/*.swift | wc -l) Swift files from ${#PROTOS[@]} protos into ${OUT_DIR#$ROOT/}" >&2
