#!/bin/sh
# Compares two gpuprobe binaries on `check`: first that they write the same bytes (JSON and
# text, and the same exit status) for every input below, then their cost on bench/check.sh's
# real-world-shaped Dockerfile against its three hosts, interleaved.
#
# Usage: bench/check-ab.sh OLD NEW [ROUNDS] [LINES]   (ROUNDS default 6, LINES 5000)
#
# This VM's speed drifts by a third within minutes, so timings of one binary taken after the
# other's compare the machine, not the binaries: each round runs OLD then NEW, `perf stat -r 5`
# each, and the table gives the medians of the rounds. Instructions do not drift, but this VM
# has no hardware counters (perf reports them as not supported), so they are counted with
# valgrind's callgrind, once per binary and host (the whole process, start-up included).
#
# Inputs compared: bench/check.sh's Dockerfile (its build arguments as written, and with
# USE_CUDA=false, which takes the other branch of its conditions), every Dockerfile under
# Fixtures/, and bench/check-repeats/Dockerfile (identical installs in different places),
# each against every host bundle in Fixtures/hosts.
set -eu
old=$(realpath "$1")
new=$(realpath "$2")
cd "$(dirname "$0")/.."
rounds=${3:-6}
lines=${4:-5000}
out=.build/bench/check
# Writes the Dockerfile, its context and the three hosts' reports.
GPUPROBE=$old bench/check.sh "$lines" 1 >/dev/null

# MARK: Same output
hosts=.build/bench/ab-hosts
rm -rf "$hosts"
mkdir -p "$hosts"
for bundle in Fixtures/hosts/*/; do
    name=$(basename "$bundle")
    "$old" probe --replay "$bundle" >"$hosts/$name.json" 2>/dev/null || true
done
compared=0
differ=0
compare() { # DOCKERFILE CONTEXT [ARGS...]
    file=$1
    context=$2
    shift 2
    for host in "$hosts"/*.json; do
        for format in json text; do
            set +e
            "$old" check "$file" --host "$host" --context "$context" --format "$format" "$@" \
                >"$out/ab-old.txt" 2>&1
            old_status=$?
            "$new" check "$file" --host "$host" --context "$context" --format "$format" "$@" \
                >"$out/ab-new.txt" 2>&1
            new_status=$?
            set -e
            compared=$((compared + 1))
            if [ "$old_status" != "$new_status" ] || ! cmp -s "$out/ab-old.txt" "$out/ab-new.txt"; then
                differ=$((differ + 1))
                echo "differs: $file on $(basename "$host" .json), $format $*" \
                    "(exit $old_status / $new_status)" >&2
            fi
        done
    done
}
compare "$out/Dockerfile" "$out/context"
compare "$out/Dockerfile" "$out/context" --build-arg USE_CUDA=false
for file in Fixtures/dockerfiles/*Dockerfile bench/check-repeats/Dockerfile; do
    compare "$file" "$(dirname "$file")"
done
echo "same output: $((compared - differ)) of $compared runs (JSON and text, exit status too)"
[ "$differ" = 0 ] || exit 1

# MARK: Cost
python3 - "$old" "$new" "$out" "$rounds" "$lines" <<'PY'
import re, statistics, subprocess, sys
old, new, out, rounds, lines = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
hosts = ["a100-sxm4-mig-xml", "h100-sxm5-580-vm", "ascend-910b4"]
def args(binary, host):
    return [binary, "check", f"{out}/Dockerfile", "--host", f"{out}/{host}.json",
            "--context", f"{out}/context", "--format", "json"]
def perf(binary, host):
    done = subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "-r", "5", "--"]
                          + args(binary, host), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    for line in done.stderr.splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] == "task-clock":
            return float(fields[0])
    sys.exit(f"perf stat printed no task-clock: {done.stderr}")
def wall(binary, host):
    import time
    start = time.perf_counter()
    subprocess.run(args(binary, host), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000
def instructions(binary, host):
    # valgrind 3.19 cannot read the debug information Swift 6.3 writes: a stripped copy.
    stripped = f"{out}/ab-stripped"
    subprocess.run(["strip", "-o", stripped, binary], check=True)
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"]
                          + args(stripped, host), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if found else None
cpu = {(b, h): [] for b in ("old", "new") for h in hosts}
walls = {(b, h): [] for b in ("old", "new") for h in hosts}
for _ in range(rounds):
    for host in hosts:
        for name, binary in (("old", old), ("new", new)):
            cpu[(name, host)].append(perf(binary, host))
            walls[(name, host)] += [wall(binary, host) for _ in range(5)]
print(f"| {lines}-line Dockerfile, host | binary | CPU per run, median of {rounds} rounds "
      "(range) | wall median | instructions |")
print("|---|---|---|---|---|")
for host in hosts:
    for name, binary in (("old", old), ("new", new)):
        c = cpu[(name, host)]
        w = walls[(name, host)]
        count = instructions(binary, host)
        shown = f"{count / 1e6:.1f} M" if count else "n/a"
        print(f"| {host} | {name} | {statistics.median(c):.1f} ms ({min(c):.1f}–{max(c):.1f}) "
              f"| {statistics.median(w):.1f} ms | {shown} |")
PY
