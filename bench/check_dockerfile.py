#!/usr/bin/env python3
"""Writes a real-world-shaped Dockerfile of about LINES lines (default 5,000) to stdout.

Shaped after the large public Dockerfiles `check` is measured on: global ARGs substituted into
`FROM`, many stages (`FROM <stage>`, `COPY --from`), long `apt-get install` lists over
continuation lines, `ENV` blocks, pip/uv installs with PyTorch indexes and requirements files,
shell conditions on build arguments, a driver download into a name built from `ENV`, heredocs,
Ascend `COPY` lines and comments. Deterministic: the same LINES gives the same file.
"""
import sys

lines_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
out = [
    "# syntax=docker/dockerfile:1.7",
    "ARG CUDA_VERSION=12.4.1",
    "ARG UBUNTU=22.04",
    "ARG USE_CUDA=true",
    "ARG TORCH=2.5.1",
    "FROM nvidia/cuda:${CUDA_VERSION}-devel-ubuntu${UBUNTU} AS base",
]
packages = [
    "build-essential", "ca-certificates", "curl", "git", "libgl1", "libglib2.0-0", "libsm6",
    "libxext6", "libxrender1", "ninja-build", "pkg-config", "python3-dev", "python3-pip",
    "software-properties-common", "unzip", "vim", "wget", "zlib1g-dev", "libssl-dev", "ffmpeg",
]
block = 0
while len(out) < lines_wanted - 40:
    block += 1
    out += [
        "",
        f"# ---- block {block}: tools ----",
        f"FROM base AS tools{block}",
        f"ARG TOOL_{block}=v{block}.0",
        f"ENV TOOL_HOME_{block}=/opt/tool{block} \\",
        f"    PATH=/opt/tool{block}/bin:$PATH \\",
        f"    LD_LIBRARY_PATH=/opt/tool{block}/lib:$LD_LIBRARY_PATH",
        "RUN apt-get update && \\",
        "    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \\",
    ]
    out += [f"        {p} \\" for p in packages]
    out += [
        "    && rm -rf /var/lib/apt/lists/*",
        f"WORKDIR /src/tool{block}",
        f"COPY tool{block}/ /src/tool{block}/",
        f"COPY requirements-{block}.txt /tmp/requirements.txt",
        'RUN if [ "$USE_CUDA" = "true" ]; then \\',
        "        pip install --no-cache-dir torch==${TORCH} torchvision \\",
        "            --index-url https://download.pytorch.org/whl/cu124; \\",
        "    else \\",
        "        pip install --no-cache-dir torch==${TORCH} \\",
        "            --index-url https://download.pytorch.org/whl/cpu; \\",
        "    fi",
        "RUN pip install --no-cache-dir -r /tmp/requirements.txt \\",
        "    --extra-index-url https://download.pytorch.org/whl/cu124",
        'RUN case "$TARGETARCH" in \\',
        "      amd64) echo x86_64 > /etc/arch ;; \\",
        "      arm64) echo aarch64 > /etc/arch ;; \\",
        "      *) echo unknown > /etc/arch ;; \\",
        "    esac",
        "RUN <<EOF",
        "set -eux",
        f"mkdir -p /opt/tool{block}/bin /opt/tool{block}/lib",
        f"git clone --depth 1 https://example.org/tool{block}.git /src/tool{block}/src",
        f"cd /src/tool{block}/src && make -j$(nproc) && make install PREFIX=/opt/tool{block}",
        "EOF",
        "# a comment line, as large files have many",
        f"RUN uv pip install --system numpy==1.26.4 scipy pillow --torch-backend cu124",
        f"LABEL org.example.tool{block}=\"v{block}\"",
    ]
out += [
    "",
    "FROM base AS final",
    "ENV DRIVER_VERSION=535.171.04",
    "RUN wget -q https://us.download.nvidia.com/XFree86/Linux-x86_64/${DRIVER_VERSION}/"
    "NVIDIA-Linux-x86_64-${DRIVER_VERSION}.run -O /tmp/driver.run && \\",
    "    sh /tmp/driver.run --no-kernel-module --silent && rm /tmp/driver.run",
]
for i in range(1, block + 1, max(1, block // 8)):
    out.append(f"COPY --from=tools{i} /opt/tool{i} /opt/tool{i}")
out += [
    "COPY ascend/driver /usr/local/Ascend/driver/lib64/driver",
    "ENV LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common/:/usr/local/Ascend/driver/lib64/driver/",
    "RUN pip install torch==2.5.1 torchvision==0.20.1 torchaudio==2.5.1 \\",
    "    --index-url https://download.pytorch.org/whl/cu121",
    'CMD ["python3", "-m", "http.server"]',
]
while len(out) < lines_wanted:
    out.append("# padding comment")
sys.stdout.write("\n".join(out[:lines_wanted]) + "\n")
