#!/usr/bin/env bash
# Run ON the GPU machine, through the device tool, after scripts/device/prepare.sh here:
#   run(command: "bash scripts/device/run.sh", carry: [".device", ".gl"], timeout_s: 560)
# Unpacks Node and Dawn, then measures the bench's rows (webgpu first, then wasm on the same
# machine) and writes gpu-rows.md, gpu-rows.json, the GPU's description and the log under $OUT.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/aisle-gpu-rows}
mkdir -p "$out"

for deb in .gl/*.deb; do dpkg -x "$deb" /; done
ldconfig
# the NVIDIA driver's Vulkan description, where the loader would not find it by itself
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
[ -f "$icd" ] && export VK_DRIVER_FILES="$icd"

unpack() { python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"; }
work=/tmp/aisle-device
mkdir -p "$work/webgpu/dist/linux-x64"
unpack .device/node.xz "$work/node" && chmod +x "$work/node"
cp .device/webgpu/index.js .device/webgpu/package.json "$work/webgpu/"
unpack .device/webgpu/dawn.node.xz "$work/webgpu/dist/linux-x64/dawn.node"

{ nvidia-smi; "$work/node" --version; nproc; } >"$out/machine.txt" 2>&1
"$work/node" .device/gpuRows.mjs --data .device/dataset.txt --dawn "$work/webgpu/index.js" \
  --models "${MODELS:-mf,sasrec,gru}" --backends "${BACKENDS:-webgpu,wasm}" --epochs "${EPOCHS:-2}" \
  --budget "${BUDGET:-90}" --row-timeout "${ROW_TIMEOUT:-150}" --total-time "${TOTAL_TIME:-500}" \
  --out "$out" 2>&1 | tee "$out/log.txt"
