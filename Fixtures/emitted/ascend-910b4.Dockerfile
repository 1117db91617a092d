# Written by gpuprobe 0.1.0 (`gpuprobe dockerfile`) for host (name unknown): 2 Ascend NPU chip(s),
# driver 24.1.rc2.2.
FROM quay.io/ascend/cann:8.1.rc1-910b-ubuntu22.04-py3.10
# CANN 8.1.RC1 from Ascend's official image (quay.io/ascend/cann, tags
# <cann>-<chip>-<os>-py<python> as Ascend/cann-container-image names them): its CANN, Python and
# set_env.sh environment come with it. gpuprobe cannot list the registry offline: if this tag is
# missing, pick the CANN 8.1.RC1 tag for your chip there, or put
# Ascend-cann-toolkit_8.1.RC1_linux-<arch>.run into the drivers folder and pass --base IMAGE.

# torch 2.5.1 + torch_npu 2.5.1 on Python 3.9–3.11, the pair Ascend/pytorch gives for CANN
# 8.1.RC1; pyyaml and setuptools because torch_npu's README asks for them, setuptools below 82
# because 82.0.0 dropped pkg_resources, which torch_npu's torchair imports; the CPU index because
# x86_64 torch_npu wheels require torch's +cpu build. No source bounds pyyaml, so pip picks it.
# hadolint ignore=DL3013
RUN python3 -m pip install --no-cache-dir torch==2.5.1 torch-npu==2.5.1 pyyaml 'setuptools<82' --extra-index-url https://download.pytorch.org/whl/cpu

# Ascend driver 24.1.rc2.2: the host's driver files, put into the build context by `gpuprobe
# stage-ascend --context DIR`.
ENV LD_LIBRARY_PATH=/usr/local/Ascend/driver/lib64/common:/usr/local/Ascend/driver/lib64/driver${LD_LIBRARY_PATH:+:${LD_LIBRARY_PATH}}
COPY ascend/dcmi /usr/local/dcmi
COPY ascend/npu-smi /usr/local/bin/npu-smi
COPY ascend/common /usr/local/Ascend/driver/lib64/common
COPY ascend/driver /usr/local/Ascend/driver/lib64/driver
COPY ascend/ascend_install.info /etc/ascend_install.info
COPY ascend/version.info /usr/local/Ascend/driver/version.info
RUN chmod 0755 /usr/local/bin/npu-smi
