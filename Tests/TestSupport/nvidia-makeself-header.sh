# A makeself header (for Debian's `makeself --header`) that writes the layout of NVIDIA's own
# makeself 1.6.0-nv2 packages (the makeself.sh inside NVIDIA-Linux-x86_64-390.48.run): the variables on lines
# 2-18 in NVIDIA's order, then a stub that answers the query flags and hands every other argument
# to ./nvidia-installer, as NVIDIA's does. Upstream makeself's header rejects unknown flags, so
# `X.run --silent --no-kernel-module` would never reach the installer with it.
# makeself sources this file with SKIP, CRCsum, MD5sum and archname set; NV_VERSION and NV_ARCH
# come from the environment.
cat << EOF > "$archname"
#! /bin/sh
CRCsum=$CRCsum
MD5=$MD5sum
skip=$((SKIP + 1))
skip_decompress=$((SKIP + 1))
size_decompress=0
label="NVIDIA Accelerated Graphics Driver for Linux-$NV_ARCH $NV_VERSION"
version_string=$NV_VERSION
pkg_version=1
script=./nvidia-installer
targetdir=NVIDIA-Linux-$NV_ARCH-$NV_VERSION
scriptargs=""
keep=n
add_this_kernel=n
apply_patch=n
TMPROOT=\${TMPDIR:=/tmp}
TARGET_OS="Linux"
TARGET_ARCH="$NV_ARCH"
if [ "\$1" = "--version-string" ]; then echo "\$version_string"; exit 0; fi
if [ "\$1" = "--target-arch" ]; then echo "\$TARGET_ARCH"; exit 0; fi
tmp=\$(mktemp -d "\$TMPROOT/makeself.XXXXXX") || exit 1
if ! tail -n +\$skip "\$0" | gzip -cd | (cd "\$tmp" && tar xf -); then rm -rf "\$tmp"; exit 1; fi
(cd "\$tmp/\$targetdir" && \$script \$scriptargs "\$@")
status=\$?
rm -rf "\$tmp"
exit \$status
EOF
