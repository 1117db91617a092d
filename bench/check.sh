#!/bin/sh
# Times `gpuprobe check` on a real-world-shaped Dockerfile of LINES lines (default 5,000;
# bench/check_dockerfile.py writes it) against three real hosts, whole process, with
# `gpuprobe --version` as the floor (the process start). Issue 13's bar: under 100 ms.
#
# Usage: bench/check.sh [LINES] [RUNS]   (RUNS default 20; the release binary is built first,
#        unless GPUPROBE names the binary to time)
set -eu
cd "$(dirname "$0")/.."
lines=${1:-5000}
runs=${2:-20}
out=.build/bench/check
mkdir -p "$out"
bin=${GPUPROBE:-}
if [ -z "$bin" ]; then
    swift build -c release --product gpuprobe >/dev/null
    bin=.build/release/gpuprobe
fi
python3 bench/check_dockerfile.py "$lines" >"$out/Dockerfile"
mkdir -p "$out/context/ascend/driver"
# The context the COPY lines read: each block's tool folder and requirements file.
blocks=$(grep -c '^FROM base AS tools' "$out/Dockerfile")
i=1
while [ "$i" -le "$blocks" ]; do
    mkdir -p "$out/context/tool$i"
    printf 'torch==2.5.1\nnumpy<2\n' >"$out/context/requirements-$i.txt"
    i=$((i + 1))
done
for host in a100-sxm4-mig-xml h100-sxm5-580-vm ascend-910b4; do
    "$bin" probe --replay "Fixtures/hosts/$host" >"$out/$host.json"
done
python3 - "$bin" "$out" "$runs" "$lines" <<'PY'
import statistics, subprocess, sys, time
binary, out, runs, lines = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
def timed(args):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 1):
            sys.exit(f"{' '.join(args)} exited {done.returncode}")
    samples.sort()
    return statistics.median(samples), samples[0], samples[-1]
print(f"| case ({lines}-line Dockerfile) | median ms | min | max |")
print("|---|---|---|---|")
m = timed([binary, "--version"])
print(f"| `gpuprobe --version` (process start) | {m[0]:.1f} | {m[1]:.1f} | {m[2]:.1f} |")
for host in ["a100-sxm4-mig-xml", "h100-sxm5-580-vm", "ascend-910b4"]:
    args = [binary, "check", f"{out}/Dockerfile", "--host", f"{out}/{host}.json",
            "--context", f"{out}/context", "--format", "json"]
    m = timed(args)
    print(f"| `check` against {host} | {m[0]:.1f} | {m[1]:.1f} | {m[2]:.1f} |")
PY
