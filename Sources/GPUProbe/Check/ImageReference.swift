/// A `FROM` image name split into registry, repository, tag and digest.
struct ImageReference: Hashable, Sendable {
    /// `nvcr.io`, `docker.io`, a mirror; nil when the name has none.
    var registry: String?
    /// `nvidia/cuda`, `ubuntu` (`library/` dropped).
    var repository: String
    /// `12.8.0-base-ubuntu22.04`; nil when the name has none.
    var tag: String?
    /// `sha256:...`; nil when the name has none.
    var digest: String?
    /// The name as written.
    var text: String

    /// Parses `[registry/]repository[:tag][@digest]`; nil for an empty or blank name.
    init?(_ text: String) {
        guard !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
        self.text = text
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 1, let first = parts.first,
            first.contains(".") || first.contains(":") || first == "localhost"
        {
            registry = first
            parts.removeFirst()
        }
        if let last = parts.last, let colon = last.lastIndex(of: ":") {
            tag = String(last[last.index(after: colon)...])
            parts[parts.count - 1] = String(last[..<colon])
        }
        if parts.count == 2, parts[0] == "library" { parts.removeFirst() }
        repository = parts.joined(separator: "/").lowercased()
        guard !repository.isEmpty else { return nil }
    }

    /// Whether Docker takes `text` as an image reference: the grammar of distribution/reference
    /// (`ParseNormalizedNamed`), which `docker build` applies to `FROM`.
    ///
    /// `[domain[:port]/]path[:tag][@digest]`: the domain is the first component when it has a
    /// `.` or `:`, is `localhost` or has a capital letter, and is DNS labels (letters, digits,
    /// inner `-`) or a bracketed IPv6 address; the path is lowercase components of letters
    /// and digits joined by `.`, `_`, `__` or runs of `-`, separated by single `/`; the tag is
    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`; the digest `sha256:` and 64 lowercase hex digits
    /// (or sha384/sha512 with 96/128); the name is at most 255 characters.
    static func isValid(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard !scalars.isEmpty, scalars.allSatisfy(\.isASCII) else { return false }
        var rest = Substring(text)
        if let at = rest.firstIndex(of: "@") {
            guard isDigest(rest[rest.index(after: at)...]) else { return false }
            rest = rest[..<at]
        }
        // The tag follows the last `:` after the last `/` (a port's `:` comes before one).
        let lastSlash = rest.lastIndex(of: "/")
        let nameEnd = rest[(lastSlash.map { rest.index(after: $0) } ?? rest.startIndex)...]
        if let colon = nameEnd.lastIndex(of: ":") {
            guard isTag(rest[rest.index(after: colon)...]) else { return false }
            rest = rest[..<colon]
        }
        guard !rest.isEmpty, rest.count <= 255 else { return false }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost"
                || first.contains(where: \.isUppercase)
        {
            guard isDomain(first) else { return false }
            components.removeFirst()
        }
        return components.allSatisfy(isPathComponent)
    }

    private static func isLowerAlnum(_ c: Character) -> Bool {
        c.isASCII && (c.isLowercase || c.isNumber)
    }

    private static func isAlnum(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber)
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*`.
    private static func isPathComponent(_ text: Substring) -> Bool {
        guard let first = text.first, let last = text.last, isLowerAlnum(first), isLowerAlnum(last)
        else { return false }
        var separator = ""
        for c in text {
            if isLowerAlnum(c) {
                guard
                    separator.isEmpty || [".", "_", "__"].contains(separator)
                        || separator.allSatisfy({ $0 == "-" })
                else { return false }
                separator = ""
            } else {
                separator.append(c)
            }
        }
        return true
    }

    /// `host[:port]`: DNS labels joined by `.`, or `[IPv6]`.
    private static func isDomain(_ text: Substring) -> Bool {
        var host = text
        if let colon = text.lastIndex(of: ":"), !text.hasSuffix("]") {
            let port = text[text.index(after: colon)...]
            guard !port.isEmpty, port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber })
            else { return false }
            host = text[..<colon]
        }
        if host.hasPrefix("[") {
            let inner = host.dropFirst().dropLast()
            return host.hasSuffix("]") && inner.contains(":")
                && inner.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        }
        return !host.isEmpty
            && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
                guard let first = label.first, let last = label.last else { return false }
                return isAlnum(first) && isAlnum(last)
                    && label.allSatisfy { isAlnum($0) || $0 == "-" }
            }
    }

    /// `[\w][\w.-]{0,127}`.
    private static func isTag(_ text: Substring) -> Bool {
        let word: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard let first = text.first, word(first), text.count <= 128 else { return false }
        return text.allSatisfy { word($0) || $0 == "." || $0 == "-" }
    }

    /// `sha256:` and 64 lowercase hex digits (sha384: 96, sha512: 128), as go-digest checks.
    private static func isDigest(_ text: Substring) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let lengths = ["sha256": 64, "sha384": 96, "sha512": 128]
        guard let length = lengths[String(text[..<colon])] else { return false }
        let hex = text[text.index(after: colon)...]
        return hex.count == length
            && hex.allSatisfy { $0.isASCII && ($0.isNumber || ("a"..."f").contains($0)) }
    }

    /// What the image's name says about CUDA and PyTorch.
    enum Kind: Hashable, Sendable {
        /// `nvidia/cuda:<cuda>-...`: sets `NVIDIA_REQUIRE_CUDA=cuda>=<major.minor>`.
        case nvidiaCUDA(cuda: CUDAVersion)
        /// `pytorch/pytorch:<torch>-cuda<cuda>-...`: torch with its CUDA wheel variant.
        case pytorch(torch: String, cuda: CUDAVersion, variant: String)
        /// Neither, or a tag that does not say.
        case other
    }

    /// The CUDA and PyTorch the tag names.
    var kind: Kind {
        guard let tag else { return .other }
        let pieces = tag.split(separator: "-").map(String.init)
        switch repository {
        case "nvidia/cuda":
            guard let first = pieces.first, let cuda = CUDAVersion(first) else { return .other }
            return .nvidiaCUDA(cuda: cuda)
        case "pytorch/pytorch":
            guard pieces.count >= 2, TorchRequest.isTorchVersion(pieces[0]),
                pieces[1].hasPrefix("cuda"), let cuda = CUDAVersion(String(pieces[1].dropFirst(4)))
            else { return .other }
            return .pytorch(torch: pieces[0], cuda: cuda, variant: "cu\(cuda.major)\(cuda.minor)")
        default:
            return .other
        }
    }

    /// What `/bin/sh` is in the image, as far as its name tells.
    enum Shell: Hashable, Sendable {
        /// dash: Debian, Ubuntu and images built on them; `echo -e` prints `-e`.
        case dash
        /// BusyBox ash (Alpine): its `echo` takes `-e`.
        case busybox
        /// bash as `sh` (Red Hat family, Amazon Linux, SUSE): its `echo` takes `-e`.
        case bash
        /// The name does not say.
        case unknown
    }

    /// `/bin/sh` of the image, judged from its name.
    var shell: Shell {
        let name = (repository + ":" + (tag ?? "")).lowercased()
        let redHat = [
            "ubi", "centos", "rocky", "alma", "fedora", "rhel", "amazonlinux", "amzn",
            "oraclelinux", "opensuse", "suse", "photon",
        ]
        if name.containsText("alpine") || repository == "busybox" { return .busybox }
        if redHat.contains(where: { name.containsText($0) }) { return .bash }
        let debian = [
            "ubuntu", "debian", "bookworm", "bullseye", "buster", "trixie", "jammy",
            "focal", "noble", "bionic",
        ]
        if debian.contains(where: { name.containsText($0) }) || repository == "pytorch/pytorch"
            || repository == "python"
        {
            return .dash
        }
        return .unknown
    }
}
