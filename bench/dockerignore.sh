#!/bin/sh
# Times `.dockerignore` matching on hostile inputs (issue 12): bench/DockerIgnoreBench.swift
# compiled with `swiftc -O` over Sources/GPUProbe/Check/DockerIgnore.swift. Prints one line
# per case: the ignore file's size and rules, the path, compile and best-of-5 match times.
set -eu
cd "$(dirname "$0")/.."
out=.build/bench
mkdir -p "$out"
swiftc -O -parse-as-library -module-name DockerIgnoreBench bench/DockerIgnoreBench.swift \
    Sources/GPUProbe/Check/DockerIgnore.swift -o "$out/dockerignorebench"
"$out/dockerignorebench"
