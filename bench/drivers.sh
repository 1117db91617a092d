#!/usr/bin/env bash
# Driver installers: how long gpuprobe's one-pass read of an NVIDIA-layout .run takes (SHA-256 of
# the whole file + streaming decode up to supported-gpus.json), against `sha256sum` and the
# decompressor alone, with peak memory; then the same folder again from the cache.
#
# Usage: bench/drivers.sh [SIZE_MB] [RUNS]   (defaults 300 and 3; needs gzip, xz, tar, GNU time)
# Each command runs RUNS times; the median time is printed with the range, and the largest RSS.
#
# Installers built (the list is the tar's LAST member, so the whole payload is decoded):
#   random-gzip  SIZE_MB of random bytes, gzip -1 (incompressible: stored blocks)
#   random-xz    SIZE_MB of random bytes, xz -0 (incompressible: stored chunks)
#   elf-xz       SIZE_MB of this toolchain's libraries (real ELF, about 4:1), xz -0
#
# The reader is compiled with `swiftc -O` over Sources/GPUProbe/Drivers (bench/DriverBench.swift
# is the driver), not as a gpuprobe subcommand. "Cold" drops the page cache first when this
# user may (root on a VM); otherwise every number is with the file in the page cache, and the
# script says so.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-300}
runs=${2:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bin=$tmp/driverbench

swiftc -O -parse-as-library -module-name DriverBench bench/DriverBench.swift \
  Sources/GPUProbe/Drivers/*.swift Sources/GPUProbe/Model/DriverVersion.swift \
  -I Sources/CZlib -I Sources/CLZMA -o "$bin"

# NVIDIA's makeself 1.6.0-nv2 header (the makeself.sh inside NVIDIA-Linux-x86_64-390.48.run) + payload.
make_run() { # $1 payload file, $2 output .run
  {
    printf '#! /bin/sh\nCRCsum=0\nMD5=00000000000000000000000000000000\nskip=20\n'
    printf 'skip_decompress=20\nsize_decompress=0\n'
    printf 'label="NVIDIA Accelerated Graphics Driver for Linux-x86_64 550.135"\n'
    printf 'version_string=550.135\npkg_version=1\nscript=./nvidia-installer\n'
    printf 'targetdir=NVIDIA-Linux-x86_64-550.135\nscriptargs=""\nkeep=n\nadd_this_kernel=n\n'
    printf 'apply_patch=n\nTMPROOT=${TMPDIR:=/tmp}\nTARGET_OS="Linux"\nTARGET_ARCH="x86_64"\n'
    printf 'exit 0\n'
    cat "$1"
  } >"$2"
}

pkg=$tmp/stage/NVIDIA-Linux-x86_64-550.135
mkdir -p "$pkg/supported-gpus" "$tmp/drivers"
# A list of NVIDIA's size (about 2,000 entries, 400 KB).
python3 - "$pkg/supported-gpus/supported-gpus.json" <<'EOF'
import json, sys
chips = [{"devid": "0x%04X" % (0x1000 + i), "name": "NVIDIA GPU %d" % i,
          "features": ["kernelopen", "gsp_proprietary_supported", "runtimepm"]} for i in range(2000)]
json.dump({"chips": chips}, open(sys.argv[1], "w"), indent=1)
EOF
tar_payload() { tar -C "$tmp/stage" -cf - NVIDIA-Linux-x86_64-550.135/payload.bin \
  NVIDIA-Linux-x86_64-550.135/supported-gpus/supported-gpus.json; }

echo "building installers of about $size_mb MB..." >&2
head -c "${size_mb}M" /dev/urandom >"$pkg/payload.bin"
tar_payload | gzip -1 >"$tmp/p.gz"
make_run "$tmp/p.gz" "$tmp/drivers/NVIDIA-Linux-x86_64-550.135-random-gzip.run"
tar_payload | xz -0 -T0 >"$tmp/p.xz"
make_run "$tmp/p.xz" "$tmp/drivers/NVIDIA-Linux-x86_64-550.135-random-xz.run"
find /opt/swift/usr/lib "$(dirname "$(command -v swift)")/../lib" -type f -name '*.so*' \
  -print0 2>/dev/null | xargs -0 cat 2>/dev/null | head -c "${size_mb}M" >"$pkg/payload.bin" || true
tar_payload | xz -0 -T0 >"$tmp/p.xz"
make_run "$tmp/p.xz" "$tmp/drivers/NVIDIA-Linux-x86_64-550.135-elf-xz.run"
rm -f "$tmp/p.gz" "$tmp/p.xz" "$pkg/payload.bin"

drop() { sync; (echo 3 >/proc/sys/vm/drop_caches) 2>/dev/null; }
if drop; then cold="cold (page cache dropped)"; else cold="warm (could not drop the page cache)"; fi
measure() { # label, command...: prints "label  median (min-max)  peak RSS"
  local label=$1; shift
  : >"$tmp/times"
  for _ in $(seq "$runs"); do
    drop || true
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out" 2>&1
    cat "$tmp/time" >>"$tmp/times"
  done
  sort -n "$tmp/times" | awk -v label="$label" '
    { secs[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "%-44s %6.2f s (%.2f-%.2f) %7.1f MiB\n", label, secs[int((NR + 1) / 2)],
          secs[1], secs[NR], rss / 1024 }'
}

echo "reads: $cold; $(nproc) cores; median of $runs runs (range), largest peak RSS"
for run in "$tmp"/drivers/*.run; do
  name=$(basename "$run" .run | sed 's/NVIDIA-Linux-x86_64-550.135-//')
  mb=$(( $(stat -c %s "$run") / 1000000 ))
  echo "== $name ($mb MB file)"
  measure "sha256sum" sha256sum "$run"
  case $name in
    *gzip) measure "tail | gzip -d (decode all, no hash)" sh -c "tail -n +20 '$run' | gzip -dc >/dev/null" ;;
    *) measure "tail | xz -d (decode all, no hash)" sh -c "tail -n +20 '$run' | xz -dc >/dev/null" ;;
  esac
  measure "gpuprobe reader (hash + decode to the list)" "$bin" read "$run"
  sed 's/^/   /' "$tmp/out" | cut -c1-150
done
echo "== the folder, through the cache"
measure "first scan (3 files, cache empty)" sh -c "rm -f '$tmp/cache.json'; '$bin' scan '$tmp/drivers' '$tmp/cache.json'"
tail -1 "$tmp/out"
measure "second scan (cache hit)" "$bin" scan "$tmp/drivers" "$tmp/cache.json"
tail -1 "$tmp/out"
