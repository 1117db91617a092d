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
