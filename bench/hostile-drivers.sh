#!/usr/bin/env bash
# Hostile installers: peak memory and time of `gpuprobe match` over a drivers folder holding 20
# hostile .run files (made by bench/hostile_drivers.py: xz and gzip bombs, 20 GiB sparse files,
# links to /proc/self/pagemap, /proc/self/mem and /dev/zero, a FIFO, lists of 32 MiB, of too
# many values, of nesting, a 3 MiB legacy branch, two lists in one tar, 1 MiB pax paths, a 1 MiB
# header line, skip=9999999, a name that is not UTF-8) and one installer that fits the host.
#
# Usage: bench/hostile-drivers.sh [RUNS] [GPUPROBE]   (defaults 5 and .build/release/gpuprobe)
#
# Each run starts with an empty driver cache, so every file is opened and read as far as the
# reader goes; then RUNS more runs find the cache the first wrote. Prints the median wall time
# with the range and the largest peak RSS (GNU time), then gpuprobe's verdict on each file.
# A run is stopped after 120 s (a reader that never ends shows as "timeout").
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bin=${2:-.build/release/gpuprobe}
[ -x "$bin" ] || { echo "no $bin: swift build -c release --product gpuprobe" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time: apt-get install -y time" >&2; exit 2; }
out=$PWD/.build/bench/hostile
rm -rf "$out"
mkdir -p "$out"
python3 bench/hostile_drivers.py "$out/Drivers" >"$out/made.txt"
python3 - "$out/host.json" <<'EOF'
import json, sys
report = json.load(open("Fixtures/hosts/a100-sxm4-mig-xml/expected.json"))
report["host"]["architecture"] = "x86_64"
json.dump(report, open(sys.argv[1], "w"))
EOF

measure() { # label, cache mode (empty|kept): prints "label  median (min-max)  peak RSS"
  local label=$1 mode=$2
  : >"$out/times"
  for _ in $(seq "$runs"); do
    [ "$mode" = empty ] && rm -rf "$out/cache"
    if ! XDG_CACHE_HOME="$out/cache" timeout 120 /usr/bin/time -f "%e %M" -o "$out/time" \
      "$bin" match --host "$out/host.json" --drivers "$out/Drivers" >"$out/plan.json" \
      2>"$out/stderr"; then
      echo "$label: exit $? (timeout or failure): $(tail -c 300 "$out/stderr")"
      return
    fi
    cat "$out/time" >>"$out/times"
  done
  sort -n "$out/times" | awk -v label="$label" '
    { secs[NR] = $1; if ($2 > rss) rss = $2 }
    END { printf "%-40s %6.2f s (%.2f-%.2f) %7.1f MiB\n", label, secs[int((NR + 1) / 2)],
          secs[1], secs[NR], rss / 1024 }'
}

echo "$(nproc) cores; $(ls "$out/Drivers" | wc -l) files; median of $runs runs (range), largest peak RSS"
measure "match, cache empty (every file read)" empty
measure "match, from the cache" kept
echo "cache file: $(stat -c %s "$out/cache/gpuprobe/drivers-v1.json") bytes"
echo "notes: $(cat "$out/stderr")"
python3 - "$out/plan.json" "$out/made.txt" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))["driver"]
made = {}
for line in open(sys.argv[2]):
    name, why = line.rstrip("\n").split(": ", 1)
    made[name.lower()] = why
print("chosen:", plan.get("chosen"))
for entry in plan["installers"]:
    name = entry["file_name"]
    why = made.get(name.lower(), "?")
    reason = "; ".join(entry.get("reasons", []))
    print(f"  {name[20:]:<24} {why:<44} {reason[:110]}")
EOF
