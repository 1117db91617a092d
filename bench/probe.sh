#!/usr/bin/env bash
# Whole-process time of `gpuprobe` against the tools people use today, on this machine.
# Usage: bench/probe.sh [RUNS]   (builds the release binary first; writes nothing)
# Uses hyperfine when installed (Debian: hyperfine), else a plain loop with `date +%s%N`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-50}
swift build -c release --product gpuprobe >/dev/null
bin=.build/release/gpuprobe
fixture=Fixtures/nvidia-smi/q_590.48.01_h200_mig.txt
commands=(
  "$bin --format json >/dev/null"
  "$bin probe --replay Fixtures/hosts/debian12-vm-no-gpu >/dev/null"
  "$bin parse nvidia-smi $fixture >/dev/null"
  "lspci -Dnn >/dev/null"
)
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 3 --runs "$runs" "${commands[@]}"
  exit
fi
for c in "${commands[@]}"; do
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do bash -c "$c"; done
  end=$(date +%s%N)
  printf '%-70s %8.2f ms/run (incl. bash startup)\n' "$c" "$(echo "($end-$start)/$runs/1000000" | bc -l)"
done
