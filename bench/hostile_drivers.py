#!/usr/bin/env python3
"""Builds a drivers folder of 20 hostile NVIDIA-layout installers, plus one that fits the A100
host of Fixtures/hosts/a100-sxm4-mig-xml, for bench/hostile-drivers.sh.

Usage: bench/hostile_drivers.py DIR

Every installer has NVIDIA's makeself 1.6.0-nv2 header (the variables on lines 2-18, then
`exit 0`, then the payload) unless its point is a broken header. The bombs are made in well
under a second: a gzip bomb is one member holding the tar header followed by the same
gzip member of 64 MiB of zeros over and over (concatenated members are valid gzip, as
`gzip -d` reads them); an xz bomb is one xz stream of many blocks, the first holding the tar
header and the rest the same block of 64 MiB of zeros, with a valid index. Both are complete
and valid: decoding them to the end gives the sizes named below. The sparse files take no
disk space.
"""
import gzip
import io
import lzma
import os
import struct
import sys
import tarfile
import zlib

PACKAGE = "NVIDIA-Linux-x86_64-{version}"
FITTING = "535.54.03"
A100_LIST = b'{"chips":[{"devid":"0x20B2","name":"NVIDIA A100-SXM4-80GB","features":[]}]}'


def header(version, skip=20, extra=b""):
    """NVIDIA's header: 19 lines, so the payload starts on line 20."""
    lines = [
        b"#! /bin/sh",
        b"CRCsum=0",
        b"MD5=00000000000000000000000000000000",
        b"skip=%d" % skip,
        b"skip_decompress=%d" % skip,
        b"size_decompress=0",
        b'label="NVIDIA Accelerated Graphics Driver for Linux-x86_64 %s"' % version.encode(),
        b"version_string=" + version.encode(),
        b"pkg_version=1",
        b"script=./nvidia-installer",
        b"targetdir=" + PACKAGE.format(version=version).encode(),
        b'scriptargs=""',
        b"keep=n",
        b"add_this_kernel=n",
        b"apply_patch=n",
        b"TMPROOT=${TMPDIR:=/tmp}",
        b'TARGET_OS="Linux"',
        b'TARGET_ARCH="x86_64"',
        b"exit 0",
    ]
    return b"\n".join(lines) + b"\n" + extra


def name(version):
    return PACKAGE.format(version=version) + ".run"


def tar_bytes(version, members):
    """A GNU tar of (path inside the package, bytes) members, without end blocks' padding."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for path, data in members:
            info = tarfile.TarInfo(PACKAGE.format(version=version) + "/" + path)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def member_header(version, path, size):
    """The 512-byte GNU tar header of a member of `size` bytes (its data is not included)."""
    info = tarfile.TarInfo(PACKAGE.format(version=version) + "/" + path)
    info.size = size
    return info.tobuf(format=tarfile.GNU_FORMAT)


def write(folder, file_name, data):
    with open(os.path.join(folder, file_name), "wb") as out:
        out.write(data)


ZEROS = bytes(64 << 20)


def gzip_bomb(version, gib):
    """A tar member of `gib` GiB of zeros, gzip: about 64 KiB of gzip per 64 MiB."""
    first = member_header(version, "payload.bin", gib << 30)
    zero_member = gzip.compress(ZEROS, compresslevel=9, mtime=0)
    return gzip.compress(first, mtime=0) + zero_member * (gib * 16)


def _varint(number):
    out = bytearray()
    while number >= 0x80:
        out.append(number & 0x7F | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def xz_bomb(version, gib):
    """A tar member of `gib` GiB of zeros, xz: one stream of 64 MiB blocks, valid to the end."""

    def one_block(data):
        stream = lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC32, preset=0)
        backward = (struct.unpack("<I", stream[-8:-4])[0] + 1) * 4
        block = stream[12 : len(stream) - 12 - backward]
        # The index: indicator 0, one record (unpadded size: header, data, check; size).
        index = stream[len(stream) - 12 - backward : -12]
        assert index[0] == 0 and index[1] == 1
        unpadded = _decode_varint(index[2:])
        return stream[:12], block, unpadded, len(data)

    head, first_block, first_unpadded, first_size = one_block(
        member_header(version, "payload.bin", gib << 30)
    )
    _, zero_block, zero_unpadded, zero_size = one_block(ZEROS)
    count = gib * 16
    records = [(first_unpadded, first_size)] + [(zero_unpadded, zero_size)] * count
    index = b"\x00" + _varint(len(records))
    for unpadded, size in records:
        index += _varint(unpadded) + _varint(size)
    index += b"\x00" * ((4 - len(index) % 4) % 4)
    index += struct.pack("<I", zlib.crc32(index))
    flags = head[6:8]
    backward = struct.pack("<I", len(index) // 4 - 1)
    footer = struct.pack("<I", zlib.crc32(backward + flags)) + backward + flags + b"YZ"
    return head + first_block + zero_block * count + index + footer


def _decode_varint(data):
    number = 0
    for shift, byte in enumerate(data):
        number |= (byte & 0x7F) << (7 * shift)
        if byte < 0x80:
            return number
    raise ValueError("bad varint")


def list_payload(version, lists, compress=gzip.compress):
    members = [("nvidia-installer", b"#!/bin/sh\nexit 0\n")]
    members += [("supported-gpus/supported-gpus.json", data) for data in lists]
    return compress(tar_bytes(version, members))


def sparse(folder, file_name, size, prefix=b""):
    path = os.path.join(folder, file_name)
    with open(path, "wb") as out:
        out.write(prefix)
        out.truncate(size)


def main():
    folder = sys.argv[1]
    os.makedirs(folder, exist_ok=True)
    made = []

    def add(file_name, data, why):
        write(folder, file_name, data)
        made.append((file_name, why))

    # The one a plan can choose.
    add(name(FITTING), header(FITTING) + list_payload(FITTING, [A100_LIST]), "fits the host")

    add(name("900.01.01"), header("900.01.01") + xz_bomb("900.01.01", 32), "xz bomb, 32 GiB")
    add(name("900.01.02"), header("900.01.02") + gzip_bomb("900.01.02", 10), "gzip bomb, 10 GiB")

    sparse(folder, name("900.02.01"), 20 << 30)
    made.append((name("900.02.01"), "sparse 20 GiB of nothing"))
    valid = header("900.02.02") + list_payload("900.02.02", [A100_LIST])
    sparse(folder, name("900.02.02"), 20 << 30, valid)
    made.append((name("900.02.02"), "a good installer followed by a 20 GiB hole"))

    os.symlink("/proc/self/pagemap", os.path.join(folder, name("900.03.01")))
    made.append((name("900.03.01"), "link to /proc/self/pagemap"))
    os.symlink("/proc/self/mem", os.path.join(folder, name("900.03.02")))
    made.append((name("900.03.02"), "link to /proc/self/mem"))
    os.symlink("/dev/zero", os.path.join(folder, name("900.03.03")))
    made.append((name("900.03.03"), "link to /dev/zero"))
    os.mkfifo(os.path.join(folder, name("900.03.04")))
    made.append((name("900.03.04"), "FIFO"))

    # 32 MiB of minimal entries: the list the issue found taking 5.4 GB for four installers.
    entry = b'{"devid":"0x1"},'
    minimal = b'{"chips":[' + entry * ((32 << 20) // len(entry)) + b'{"devid":"0x2"}]}'
    for index in range(4):
        version = "900.04.%02d" % index
        add(name(version), header(version) + list_payload(version, [minimal]), "32 MiB list")
    # Just under 4 MiB of minimal entries: under the size bound, over the entry bound.
    under = b'{"chips":[' + entry * ((4 << 20) // len(entry) - 2) + b'{"devid":"0x2"}]}'
    add(name("900.05.01"), header("900.05.01") + list_payload("900.05.01", [under]),
        "3.99 MiB list of 262,000 entries")
    branch = b'{"chips":[{"devid":"0x20B2","name":"A100","legacybranch":"' + b"9" * (3 << 20) + b'"}]}'
    add(name("900.05.02"), header("900.05.02") + list_payload("900.05.02", [branch]),
        "3 MiB legacybranch")
    nested = b'{"chips":' + b"[" * 100000 + b"]" * 100000 + b"}"
    add(name("900.05.03"), header("900.05.03") + list_payload("900.05.03", [nested]),
        "lists nested 100,000 deep")
    add(name("900.05.04"), header("900.05.04")
        + list_payload("900.05.04", [b'{"chips":[]}', A100_LIST], compress=lzma.compress),
        "two lists in one tar (the last is kept)")

    # Many members with 1 MiB pax paths: a tar that is nearly all metadata.
    pax = io.BytesIO()
    with tarfile.open(fileobj=pax, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for index in range(64):
            info = tarfile.TarInfo(("d/" * ((1 << 20) // 2 - 8)) + "f%d" % index)
            tar.addfile(info, io.BytesIO(b""))
    add(name("900.06.01"), header("900.06.01") + lzma.compress(pax.getvalue(), preset=0),
        "64 members with 1 MiB paths")
    add(name("900.06.02"), b"#! /bin/sh\nCRCsum=0\n" + b"x" * (1 << 20), "a 1 MiB header line")
    add(name("900.06.03"), header("900.06.03", skip=9999999) + bytes(1 << 20),
        "skip=9999999")
    add(b"NVIDIA-Linux-x86_64-900.07.01\xff.run".decode("utf-8", "surrogateescape"),
        header("900.07.01") + list_payload("900.07.01", [A100_LIST]), "a name that is not UTF-8")
    for file_name, why in made:
        shown = os.fsencode(file_name).decode("utf-8", "backslashreplace")
        print(f"{shown}: {why}")


if __name__ == "__main__":
    main()
