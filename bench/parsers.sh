#!/usr/bin/env bash
# Parser throughput: `gpuprobe parse` on about 10 MB of each tool's real output, repeated.
# Usage: bench/parsers.sh [RUNS]   (needs hyperfine; writes inputs to a temporary folder)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
swift build -c release --product gpuprobe >/dev/null
bin=$PWD/.build/release/gpuprobe
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
grow() { : >"$2"; while [ "$(stat -c %s "$2")" -lt 10000000 ]; do cat "$1" >>"$2"; done; }
grow Fixtures/nvidia-smi/table_550.127.05_v100x8.txt "$tmp/table.txt"
grow Fixtures/nvidia-smi/xml_telegraf_a100-sxm4-v12.xml "$tmp/smi.xml"
grow Fixtures/npu-smi/info_910A_x8_npusmi22.0.3.1_gpustack.txt "$tmp/npu.txt"
grow Fixtures/lspci/gpud_lspci_vvv_dell_h100.txt "$tmp/lspci.txt"
hyperfine --warmup 1 --runs "$runs" \
  "$bin parse nvidia-smi $tmp/table.txt >/dev/null" \
  "$bin parse nvidia-smi $tmp/smi.xml >/dev/null" \
  "$bin parse npu-smi $tmp/npu.txt >/dev/null" \
  "$bin parse lspci $tmp/lspci.txt >/dev/null"
