// CLZMA: the system library liblzma (Debian liblzma-dev, from xz-utils), seen from Swift.
//
// Only the header is needed: Drivers/PayloadDecoders.swift decodes the xz payload of NVIDIA
// `.run` installers. `LZMA_STREAM_INIT` is a macro whose every field is zero or NULL, which is
// what Swift's zero-initialiser `lzma_stream()` gives.
#include <lzma.h>
