/// The variables at the top of an NVIDIA `.run` installer, in NVIDIA's makeself 1.6.0-nv2
/// layout.
///
/// NVIDIA's fork of makeself writes a short block of shell assignments before its stub script
/// (`makeself.sh`, `VERSION=1.6.0-nv2`, shipped inside NVIDIA-Linux-x86_64-390.48.run and
/// later packages):
///
/// ```text
/// #! /bin/sh
/// CRCsum=<cksum of everything after line 3>
/// MD5=<md5 of the same span>
/// skip=<line where the payload starts>
/// skip_decompress=<line where an embedded decompressor starts>
/// size_decompress=<its length in lines>
/// label="NVIDIA Accelerated Graphics Driver for Linux-x86_64 550.135"
/// version_string=550.135
/// ...
/// targetdir=NVIDIA-Linux-x86_64-550.135
/// ...
/// TARGET_OS="Linux"
/// TARGET_ARCH="x86_64"
/// ```
///
/// The text comes from a downloaded file, so nothing in it is trusted: every value used is
/// checked (the version parses as a ``DriverVersion``, the architecture is a plain word, the
/// label is short printable ASCII) and anything else is a ``RunHeaderError``.
public struct RunHeader: Hashable, Sendable {
    /// `skip`: the payload begins at this line (1-based), after `skip - 1` lines of stub.
    public var skip: Int
    /// `skip_decompress`: the line where an embedded decompressor starts, when there is one.
    public var skipDecompress: Int?
    /// `size_decompress`: the embedded decompressor's length in lines (0 when none).
    public var sizeDecompress: Int?
    /// `label`: the human-readable package name.
    public var label: String?
    /// `version_string`: the driver version, machine-readable.
    public var version: DriverVersion
    /// `targetdir`: the folder `--extract-only` creates (`NVIDIA-Linux-x86_64-550.135`).
    public var targetDirectory: String?
    /// `TARGET_OS` (`Linux`).
    public var targetOS: String?
    /// `TARGET_ARCH` (`x86_64`, `aarch64`).
    public var targetArchitecture: String?
    /// `CRCsum`: the POSIX `cksum` of everything after line 3, as written.
    public var crcSum: String?
    /// `MD5`: the MD5 of the same span, as written.
    public var md5: String?

    /// How many bytes from the start of a file ``parse(_:endsFile:)`` needs at most.
    public static let prefixLimit = 64 * 1024

    /// How many lines at the top are read as assignments at most; NVIDIA's block has 18.
    ///
    /// Fewer are read when `skip` says the payload starts earlier: from line `skip` on the
    /// bytes are the compressed payload, never header, even when makeself's stub is short.
    static let variableLines = 64

    /// The longest `label` and `targetdir` accepted.
    static let textLimit = 256

    /// Parses the header from the first bytes of a file.
    ///
    /// - Parameters:
    ///   - prefix: the file's first bytes; at most ``prefixLimit`` of them are looked at.
    ///   - endsFile: whether `prefix` is the whole file, so that running out of bytes means the
    ///     file is cut short rather than that the header is oversized.
    /// - Returns: the checked header.
    /// - Throws: ``RunHeaderError`` when the file is not in NVIDIA's layout, is cut inside the
    ///   header, or a value fails its check.
    public static func parse(_ prefix: [UInt8], endsFile: Bool) throws(RunHeaderError) -> RunHeader
    {
        let bytes = prefix.prefix(prefixLimit)
        let wholeFile = endsFile && bytes.count == prefix.count
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.starts(with: [0x23, 0x21]) else {  // "#!"
            throw .notAShellArchive(start: HeaderText.hex(bytes.prefix(8)))
        }

        // The block is the run of assignments from line 2 (comments and blank lines allowed
        // in it); the stub script after it assigns variables too, which must not count.
        var variables: [String: ArraySlice<UInt8>] = [:]
        var makeselfVersion: String?
        var upstreamKey = false
        var inBlock = true
        var start = bytes.startIndex
        var lineCount = 0
        var ranOut = false
        // The line the payload starts on, once `skip` is read; lines from there are not text.
        var payloadLine = Int.max
        while lineCount < variableLines, lineCount + 1 < payloadLine {
            guard let end = bytes[start...].firstIndex(of: 0x0A) else {
                // After the block, a long line is the stub's or the payload's: not read.
                if !inBlock { break }
                // A cut file's last line may itself be cut: it is not used.
                guard wholeFile else { throw .lineTooLong(line: lineCount + 1) }
                ranOut = true
                break
            }
            lineCount += 1
            var line = bytes[start..<end]
            if line.last == 0x0D { line = line.dropLast() }
            start = end + 1
            if let version = upstreamVersion(line) { makeselfVersion = version }
            let pair = assignment(line)
            if pair?.0 == "filesizes" { upstreamKey = true }
            if lineCount > 1, inBlock {
                if let (key, value) = pair {
                    if variables[key] == nil {
                        variables[key] = value
                        if key == "skip", let line = lineNumber(value) {
                            // A payload that starts on or before this line would hold it.
                            guard line > lineCount else {
                                throw .badValue(
                                    variable: "skip",
                                    value: HeaderText.quote(value),
                                    expected: "a line after the header (it is on line "
                                        + "\(lineCount))"
                                )
                            }
                            payloadLine = line
                        }
                    }
                } else if !line.isEmpty, line.first != 0x23 {  // "#"
                    inBlock = false
                }
            }
            if start == bytes.endIndex {
                ranOut = wholeFile
                break
            }
        }

        if makeselfVersion != nil || upstreamKey {
            throw .upstreamMakeself(version: makeselfVersion)
        }
        for required in ["skip", "version_string"] where variables[required] == nil {
            if ranOut, inBlock { throw .truncated(lines: lineCount) }
            throw .missingVariable(required)
        }
        return try checked(variables)
    }

    /// A `skip`-style value as a line number, or nil when it is not one (checked later).
    private static func lineNumber(_ value: ArraySlice<UInt8>) -> Int? {
        guard (1...7).contains(value.count), value.allSatisfy(HeaderText.isDigit) else {
            return nil
        }
        return Int(String(decoding: value, as: UTF8.self))
    }

    /// Checks every value the header is used for.
    private static func checked(
        _ variables: [String: ArraySlice<UInt8>]
    ) throws(RunHeaderError) -> RunHeader {
        func number(_ key: String) throws(RunHeaderError) -> Int? {
            guard let value = variables[key] else { return nil }
            guard (1...7).contains(value.count), value.allSatisfy(HeaderText.isDigit),
                let number = Int(String(decoding: value, as: UTF8.self))
            else {
                throw .badValue(
                    variable: key,
                    value: HeaderText.quote(value),
                    expected: "a line number"
                )
            }
            return number
        }
        func text(_ key: String, limit: Int) throws(RunHeaderError) -> String? {
            guard let value = variables[key] else { return nil }
            guard value.count <= limit, value.allSatisfy(HeaderText.isPrintable) else {
                throw .badValue(
                    variable: key,
                    value: HeaderText.quote(value),
                    expected: "printable ASCII of at most \(limit) characters"
                )
            }
            return String(decoding: value, as: UTF8.self)
        }
        func word(_ key: String, expected: String, limit: Int = 32, _ allowed: (UInt8) -> Bool)
            throws(RunHeaderError) -> String?
        {
            guard let value = variables[key] else { return nil }
            guard (1...limit).contains(value.count), value.allSatisfy(allowed) else {
                throw .badValue(variable: key, value: HeaderText.quote(value), expected: expected)
            }
            return String(decoding: value, as: UTF8.self)
        }

        guard let skip = try number("skip"), skip >= 2 else {
            throw .badValue(
                variable: "skip",
                value: HeaderText.quote(variables["skip"] ?? []),
                expected: "a line number of 2 or more"
            )
        }
        let versionBytes = variables["version_string"] ?? []
        guard versionBytes.count <= 32,
            let version = DriverVersion(String(decoding: versionBytes, as: UTF8.self))
        else {
            throw .badValue(
                variable: "version_string",
                value: HeaderText.quote(versionBytes),
                expected: "a driver version such as 550.54.14"
            )
        }
        return RunHeader(
            skip: skip,
            skipDecompress: try number("skip_decompress"),
            sizeDecompress: try number("size_decompress"),
            label: try text("label", limit: textLimit),
            version: version,
            targetDirectory: try text("targetdir", limit: textLimit),
            targetOS: try word("TARGET_OS", expected: "a word of letters, digits and _") {
                HeaderText.isWordByte($0)
            },
            targetArchitecture: try word(
                "TARGET_ARCH",
                expected: "a word of letters, digits and _"
            ) { HeaderText.isWordByte($0) },
            crcSum: try word("CRCsum", expected: "a decimal checksum", limit: 10) {
                HeaderText.isDigit($0)
            },
            md5: try word("MD5", expected: "32 hexadecimal digits") { HeaderText.isHexDigit($0) }
        )
    }

    /// Splits a `name=value` line into its name and value; nil for any other line.
    ///
    /// The name must be a shell variable name at the start of the line; one pair of matching
    /// quotes around the value is removed.
    static func assignment(_ line: ArraySlice<UInt8>) -> (String, ArraySlice<UInt8>)? {
        guard let equals = line.firstIndex(of: 0x3D), equals > line.startIndex else { return nil }
        let name = line[..<equals]
        guard let first = name.first, !HeaderText.isDigit(first),
            name.allSatisfy(HeaderText.isWordByte)
        else { return nil }
        var value = line[(equals + 1)...]
        if value.count >= 2, let open = value.first, open == 0x22 || open == 0x27,
            value.last == open
        {
            value = value.dropFirst().dropLast()
        }
        return (String(decoding: name, as: UTF8.self), value)
    }

    /// The version in upstream makeself's `# This script was generated using Makeself 2.4.5`.
    private static func upstreamVersion(_ line: ArraySlice<UInt8>) -> String? {
        let marker = Array("generated using Makeself ".utf8)
        guard line.first == 0x23,  // "#"
            let range = line.rangeOfRun(marker)
        else { return nil }
        let version = line[range.upperBound...].prefix { HeaderText.isWordByte($0) || $0 == 0x2E }
        return version.isEmpty ? "" : String(decoding: version.prefix(16), as: UTF8.self)
    }
}

/// Why the top of a file is not a usable NVIDIA installer header.
public enum RunHeaderError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file has no bytes.
    case empty
    /// The file does not start with `#!`; `start` is its first bytes in hex.
    case notAShellArchive(start: String)
    /// An upstream makeself 2.x archive (different variables, different payload offset).
    case upstreamMakeself(version: String?)
    /// The assignment block lacks a variable NVIDIA's layout always has.
    case missingVariable(String)
    /// The file ends inside the header, after `lines` complete lines.
    case truncated(lines: Int)
    /// A header line is longer than ``RunHeader/prefixLimit`` allows.
    case lineTooLong(line: Int)
    /// A value failed its check; `value` is quoted with anything unprintable escaped.
    case badValue(variable: String, value: String, expected: String)

    /// One line: what is wrong and what to do.
    public var description: String {
        let layout = "NVIDIA's installer layout (makeself 1.6.0-nv2)"
        switch self {
        case .empty:
            return "the file is empty: an interrupted download? download it again"
        case .notAShellArchive(let start):
            return "not an NVIDIA driver installer: it does not start with `#!` (it starts with "
                + "\(start)); put only NVIDIA-Linux-*.run files from NVIDIA here"
        case .upstreamMakeself(let version):
            let made = version.map { $0.isEmpty ? "upstream makeself" : "Makeself \($0)" }
            return "not \(layout): the file was made by \(made ?? "upstream makeself") "
                + "(`filesizes`, no `version_string`); put only NVIDIA-Linux-*.run files here"
        case .missingVariable(let name):
            return "not \(layout): the header has no `\(name)=` line; "
                + "put only NVIDIA-Linux-*.run files here"
        case .truncated(let lines):
            return "the file ends inside the installer header (after \(lines) lines): "
                + "truncated download? download it again"
        case .lineTooLong(let line):
            return "not \(layout): header line \(line) is longer than "
                + "\(RunHeader.prefixLimit / 1024) KiB"
        case .badValue(let variable, let value, let expected):
            return "the header's \(variable) is \(value), not \(expected); the file is damaged "
                + "or not NVIDIA's: download it again from NVIDIA"
        }
    }
}

/// Byte classes and quoting for text that comes from untrusted files.
enum HeaderText {
    /// `0-9`.
    static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    /// `0-9`, `a-f`, `A-F`.
    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x41...0x46).contains(byte) || (0x61...0x66).contains(byte)
    }

    /// `A-Z`, `a-z`, `0-9`, `_`.
    static func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            || byte == 0x5F
    }

    /// Printable ASCII, space included.
    static func isPrintable(_ byte: UInt8) -> Bool { (0x20...0x7E).contains(byte) }

    /// `bytes` in single quotes, at most `limit` of them, anything unprintable as `\xNN`.
    static func quote(_ bytes: some Collection<UInt8>, limit: Int = 64) -> String {
        var text = "'"
        for byte in bytes.prefix(limit) {
            if isPrintable(byte), byte != 0x27, byte != 0x5C {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + hex([byte])
            }
        }
        return text + (bytes.count > limit ? "...'" : "'")
    }

    /// `bytes` as space-separated lower-case hex pairs.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { byte in
            let digits = Array("0123456789abcdef".utf8)
            return String(
                decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xf)]],
                as: UTF8.self
            )
        }.joined(separator: " ")
    }
}
