import Foundation
import Testing

@testable import GPUProbe
@testable import TestSupport

@Suite struct RunHeaderTests {
    /// NVIDIA's 18 lines (the `makeself.sh` 1.6.0-nv2 inside NVIDIA-Linux-x86_64-390.48.run), then the stub.
    static let sample = """
        #! /bin/sh
        CRCsum=3281054097
        MD5=a6b3b0c52e2ac0c0f4d7aa6b0cfbb7d8
        skip=744
        skip_decompress=612
        size_decompress=132
        label="NVIDIA Accelerated Graphics Driver for Linux-x86_64 550.135"
        version_string=550.135
        pkg_version=1
        script=./nvidia-installer
        targetdir=NVIDIA-Linux-x86_64-550.135
        scriptargs=""
        keep=n
        add_this_kernel=n
        apply_patch=n
        TMPROOT=${TMPDIR:=/tmp}
        TARGET_OS="Linux"
        TARGET_ARCH="x86_64"
        if [ -z "$1" ]; then
        skip=1
        fi

        """

    @Test func readsNVIDIAsBlock() throws {
        let header = try RunHeader.parse(Array(Self.sample.utf8), endsFile: false)
        #expect(header.skip == 744)
        #expect(header.skipDecompress == 612)
        #expect(header.sizeDecompress == 132)
        #expect(header.label == "NVIDIA Accelerated Graphics Driver for Linux-x86_64 550.135")
        #expect(header.version == DriverVersion("550.135"))
        #expect(header.targetDirectory == "NVIDIA-Linux-x86_64-550.135")
        #expect(header.targetOS == "Linux")
        #expect(header.targetArchitecture == "x86_64")
        #expect(header.crcSum == "3281054097")
        #expect(header.md5 == "a6b3b0c52e2ac0c0f4d7aa6b0cfbb7d8")
    }

    @Test func readsCRLFLines() throws {
        let text = Self.sample.replacingOccurrences(of: "\n", with: "\r\n")
        let header = try RunHeader.parse(Array(text.utf8), endsFile: false)
        #expect(header.version.text == "550.135" && header.targetArchitecture == "x86_64")
    }

    @Test(arguments: [
        (text: "", error: RunHeaderError.empty),
        ("\u{7F}ELF\u{2}\u{1}\u{1}", .notAShellArchive(start: "7f 45 4c 46 02 01 01")),
        (
            "#!/bin/sh\n# This script was generated using Makeself 2.4.5\nskip=\"714\"\n",
            .upstreamMakeself(version: "2.4.5")
        ),
        (
            "#!/bin/sh\nlabel=\"x\"\nfilesizes=\"115\"\nskip=\"714\"\nversion_string=1.2\n",
            .upstreamMakeself(version: nil)
        ),
        ("#!/bin/sh\necho hello\nskip=5\nversion_string=550.135\n", .missingVariable("skip")),
        ("#! /bin/sh\nCRCsum=1\nMD5=0\nskip=4", .truncated(lines: 3)),
        ("#! /bin/sh\nCRCsum=1\nMD5=0\nskip=40\n", .truncated(lines: 4)),
    ])
    func rejectsOtherLayouts(text: String, error: RunHeaderError) {
        #expect(throws: error) { try RunHeader.parse(Array(text.utf8), endsFile: true) }
    }

    @Test func aPrefixWithoutLineBreaksIsNotAHeader() {
        let bytes = Array("#!".utf8) + [UInt8](repeating: 0x41, count: RunHeader.prefixLimit)
        #expect(throws: RunHeaderError.lineTooLong(line: 1)) {
            try RunHeader.parse(bytes, endsFile: false)
        }
    }

    @Test func quotesUntrustedValues() {
        #expect(HeaderText.quote(Array("a'b\\c\u{1B}".utf8)) == #"'a\x27b\x5cc\x1b'"#)
        #expect(HeaderText.quote([UInt8](repeating: 0x41, count: 70)).hasSuffix("AAAA...'"))
    }

    @Test func assignmentsNeedAShellName() {
        #expect(RunHeader.assignment(Array("a_1=\"x y\"".utf8)[...])?.0 == "a_1")
        #expect(
            RunHeader.assignment(Array("a_1=\"x y\"".utf8)[...]).map { Array($0.1) }
                == Array("x y".utf8)
        )
        #expect(RunHeader.assignment(Array("1a=x".utf8)[...]) == nil)
        #expect(RunHeader.assignment(Array("  a=x".utf8)[...]) == nil)
        #expect(RunHeader.assignment(Array("=x".utf8)[...]) == nil)
        #expect(
            RunHeader.assignment(Array("a='x".utf8)[...]).map { Array($0.1) } == Array("'x".utf8)
        )
    }
}
