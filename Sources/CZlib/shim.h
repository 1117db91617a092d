// CZlib: the system library zlib (Debian zlib1g-dev), seen from Swift.
//
// Only the header is needed: Drivers/PayloadDecoders.swift inflates the gzip payload of NVIDIA
// `.run` installers. `inflateInit2` is a macro, so Swift calls the function behind it,
// `inflateInit2_(strm, windowBits, ZLIB_VERSION, sizeof(z_stream))`, directly.
#include <zlib.h>
