/// What a `.run` file is, by its name: NVIDIA's driver installer, the CUDA toolkit's runfile,
/// an Ascend CANN or HDK package, or something else.
///
/// Only NVIDIA's driver installers put an NVIDIA userspace driver into the image. The CUDA
/// runfile does so only when asked for its bundled driver; Ascend packages and other vendors'
/// `.run` files never do.
enum RunFile: Hashable, Sendable {
    /// `NVIDIA-Linux-<arch>-<version>[-<variant>].run`.
    case nvidia(InstallerFileName)
    /// Named like NVIDIA's installer, but the version cannot be read from the name: a pattern
    /// (`NVIDIA-Linux-x86_64-*run`), an unknown variable, or a malformed name.
    case nvidiaUnread(String)
    /// The CUDA toolkit's runfile, `cuda_<version>_<driver>_linux[_<arch>].run`.
    case cudaToolkit(CUDARunfile)
    /// An Ascend package (`Ascend-cann-toolkit_8.0.0_linux-x86_64.run`,
    /// `Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run`).
    case ascend(AscendRunfile)
    /// Anything else.
    case other

    /// NVIDIA's installer names start so (`NVIDIA-Linux-x86_64-550.54.14.run`).
    static let nvidiaPrefix = "NVIDIA-Linux-"

    /// Classifies a file name (no folder).
    init(_ name: String) {
        if name == "nvidia-installer" {
            // Run from an extracted package whose folder name was not kept.
            self = .nvidiaUnread(name)
        } else if name.hasPrefix(Self.nvidiaPrefix) {
            if !BuildContext.hasWildcard(name), let parsed = InstallerFileName(name) {
                self = .nvidia(parsed)
            } else {
                self = .nvidiaUnread(name)
            }
        } else if BuildContext.hasWildcard(name), Self.patternNamesNVIDIA(name) {
            self = .nvidiaUnread(name)
        } else if let cuda = CUDARunfile(name) {
            self = .cudaToolkit(cuda)
        } else if let ascend = AscendRunfile(name) {
            self = .ascend(ascend)
        } else {
            self = .other
        }
    }

    /// `NVIDIA-*.run`, `NVIDIA*`: a pattern whose fixed start is the start of NVIDIA's names.
    static func patternNamesNVIDIA(_ pattern: String) -> Bool {
        let fixed = pattern.prefix { $0 != "*" && $0 != "?" && $0 != "[" }
        return fixed.count >= 6 && nvidiaPrefix.hasPrefix(fixed)
    }

    /// Whether the name is one the judge reads at all (a `COPY` source or a command's path).
    static func isCandidate(_ name: String) -> Bool {
        if name.hasSuffix(".run") { return true }
        // Every other name that can be one starts `NVIDIA`, `nvidia-installer` or `cuda_`;
        // this is asked of every command's program.
        guard let head = name.utf8.first, head == 0x4E || head == 0x6E || head == 0x63 else {
            return false
        }
        switch RunFile(name) {
        case .other: return false
        default: return true
        }
    }
}

/// The CUDA toolkit's runfile: `cuda_12.4.1_550.54.15_linux.run`,
/// `cuda_12.4.1_550.54.15_linux_sbsa.run`, or before CUDA 10.1 `cuda_9.0.176_384.81_linux-run`.
///
/// The middle part is the driver the runfile bundles (NVIDIA, CUDA Installation Guide for
/// Linux, "Runfile Installation"); the oldest names (`cuda_7.5.18_linux.run`) carry none.
struct CUDARunfile: Hashable, Sendable {
    /// The file name.
    var name: String
    /// The toolkit version (`12.4.1`).
    var toolkit: String
    /// The bundled driver, when the name carries it.
    var driver: DriverVersion?

    init?(_ name: String) {
        guard name.hasPrefix("cuda_"), name.hasSuffix(".run") || name.hasSuffix("-run"),
            name.utf8.count <= 255
        else { return nil }
        let parts = name.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count >= 3, Self.isDotted(parts[1]),
            parts.dropFirst(2).contains(where: { $0.hasPrefix("linux") })
        else { return nil }
        self.name = name
        toolkit = String(parts[1])
        driver = parts[2].hasPrefix("linux") ? nil : DriverVersion(String(parts[2]))
    }

    static func isDotted(_ text: Substring) -> Bool {
        !text.isEmpty && text.contains(".")
            && text.utf8.allSatisfy { (48...57).contains($0) || $0 == 0x2E }
    }
}

/// An Ascend package: CANN (`Ascend-cann-toolkit_8.0.0_linux-x86_64.run`,
/// `Ascend-cann-kernels-910b_8.0.0_linux-x86_64.run`) or HDK
/// (`Ascend-hdk-910b-npu-driver_24.1.rc2_linux-aarch64.run`, `...-npu-firmware_7.3.0.1.231.run`).
///
/// Huawei's naming: `<product>_<version>[_linux-<arch>].run` (Ascend/docs quick-install
/// pages; the HDK version in the name is the driver's, lower-case `rc`).
struct AscendRunfile: Hashable, Sendable {
    /// What the package is.
    enum Part: Hashable, Sendable {
        /// A CANN component (`toolkit`, `kernels-910b`, `910b-ops`, `nnal`; empty for CANN
        /// 8.5's single package).
        case cann(String)
        /// The NPU driver.
        case driver
        /// The NPU firmware.
        case firmware
    }

    var name: String
    var part: Part
    /// The version (`8.0.0`, `24.1.rc2`).
    var version: String
    /// The architecture (`x86_64`, `aarch64`), when named.
    var architecture: String?

    init?(_ name: String) {
        guard name.hasSuffix(".run"), name.utf8.count <= 255 else { return nil }
        // The product, before any splitting: most names are not Ascend's.
        let head = name.prefix { $0 != "_" }
        // `Ascend-cann_8.5.0_linux-aarch64.run`: from CANN 8.5.0 one package holds the toolkit.
        guard
            head.hasPrefix("Ascend-cann-") || head == "Ascend-cann" || head.hasSuffix("npu-driver")
                || head.hasSuffix("npu-firmware")
        else { return nil }
        let stem = name.dropLast(4)
        let fields = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard fields.count >= 2 else { return nil }
        let product = fields[0]
        if product.hasSuffix("npu-driver") {
            part = .driver
        } else if product.hasSuffix("npu-firmware") {
            part = .firmware
        } else if product.hasPrefix("Ascend-cann-"), product.count > 12 {
            part = .cann(String(product.dropFirst(12)))
        } else if product == "Ascend-cann" {
            part = .cann("")
        } else {
            return nil
        }
        self.name = name
        version = String(fields[1])
        // `linux-x86_64`: the rest of the name, underscores included.
        let platform = fields.count >= 3 ? fields[2...].joined(separator: "_") : ""
        architecture = platform.hasPrefix("linux-") ? String(platform.dropFirst(6)) : nil
    }
}

/// A file a `RUN` downloads: `wget URL`, `wget -O FILE URL`, `curl -fsSLO URL`,
/// `curl -o FILE URL`, `curl URL > FILE`.
struct Download: Hashable, Sendable {
    /// Where it lands, absolute.
    var path: String
    /// The name the URL gives it (NVIDIA's own name, which carries the version).
    var remoteName: String
    /// Variables in the URL or the path with no known value.
    var unresolved: [String]

    /// The download a command makes, or nil for anything else (or output to standard output).
    static func of(_ command: CommandFact) -> Download? {
        // Most commands are neither: decided before any other work.
        guard let first = command.words.first?.text,
            first.hasSuffix("wget") || first.hasSuffix("curl")
        else { return nil }
        let program = CommandWords.basename(first)
        let words = Array(command.words.dropFirst())
        var url: ScriptWord?
        var output: ScriptWord?
        var folder: ScriptWord?
        var remoteName = false
        let isURL = { (text: String) in text.containsText("://") }
        var index = 0
        switch program {
        case "wget":
            // wget's options that take a value (GNU Wget manual, "Invoking").
            let valued: Set<Character> = [
                "O", "o", "a", "P", "t", "T", "w", "e", "U", "i", "B", "Q", "D", "X", "I", "R",
                "A", "l",
            ]
            remoteName = true
            while index < words.count {
                let text = words[index].text
                if text.hasPrefix("--output-document=") {
                    output = ScriptWord(
                        text: String(text.dropFirst(18)),
                        unresolved: words[index].unresolved
                    )
                } else if text.hasPrefix("--directory-prefix=") {
                    folder = ScriptWord(
                        text: String(text.dropFirst(19)),
                        unresolved: words[index].unresolved
                    )
                } else if text == "--output-document" || text == "--directory-prefix" {
                    index += 1
                    if index < words.count {
                        if text == "--output-document" {
                            output = words[index]
                        } else {
                            folder = words[index]
                        }
                    }
                } else if text.hasPrefix("-"), !text.hasPrefix("--"), text.count > 1 {
                    let (option, value, consumed) = Self.cluster(words, at: index, valued: valued)
                    if option == "O" { output = value }
                    if option == "P" { folder = value }
                    index += consumed
                } else if isURL(text), url == nil {
                    url = words[index]
                }
                index += 1
            }
        case "curl":
            // curl's short options that take a value (curl(1)).
            let valued: Set<Character> = [
                "o", "d", "H", "u", "X", "A", "e", "F", "K", "T", "b", "c", "w", "x", "E", "m",
                "r", "U", "Y", "y", "z", "C", "P", "Q", "t", "D",
            ]
            while index < words.count {
                let text = words[index].text
                if text == "--output" || text == "--output-dir" {
                    index += 1
                    if index < words.count {
                        if text == "--output" {
                            output = words[index]
                        } else {
                            folder = words[index]
                        }
                    }
                } else if text == "--remote-name" || text == "--remote-name-all" {
                    remoteName = true
                } else if text.hasPrefix("--url=") || text == "--url" {
                    if text == "--url" {
                        index += 1
                        if index < words.count, url == nil { url = words[index] }
                    } else if url == nil {
                        url = ScriptWord(
                            text: String(text.dropFirst(6)),
                            unresolved: words[index].unresolved
                        )
                    }
                } else if text.hasPrefix("-"), !text.hasPrefix("--"), text.count > 1 {
                    if text.dropFirst().prefix(while: { !valued.contains($0) }).contains("O") {
                        remoteName = true
                    }
                    let (option, value, consumed) = Self.cluster(words, at: index, valued: valued)
                    if option == "o" { output = value }
                    index += consumed
                } else if isURL(text), url == nil {
                    url = words[index]
                }
                index += 1
            }
            if output == nil, !remoteName,
                let redirect = command.redirections.last(where: { $0.op == ">" || $0.op == ">|" })
            {
                output = ScriptWord(text: redirect.target)
            }
        default:
            return nil
        }
        guard let url else { return nil }
        let remote = Self.fileName(ofURL: url.text)
        let target: String
        var unresolved = url.unresolved
        if let output {
            guard output.text != "-", !output.text.isEmpty else { return nil }
            target = output.text
            unresolved += output.unresolved
        } else if remoteName, !remote.isEmpty {
            target = (folder.map { $0.text + "/" } ?? "") + remote
            unresolved += folder?.unresolved ?? []
        } else {
            return nil
        }
        return Download(
            path: CommandWords.absolute(target, from: command.directory),
            remoteName: remote,
            unresolved: unresolved
        )
    }

    /// A cluster of short options (`-qO`, `-fsSLo`): the option that takes a value, with its
    /// value (the rest of the cluster or the next word), and how many more words it used.
    static func cluster(_ words: [ScriptWord], at index: Int, valued: Set<Character>)
        -> (option: Character?, value: ScriptWord?, consumed: Int)
    {
        let text = words[index].text.dropFirst()
        guard let at = text.firstIndex(where: { valued.contains($0) }) else { return (nil, nil, 0) }
        let rest = text[text.index(after: at)...]
        if !rest.isEmpty {
            return (
                text[at], ScriptWord(text: String(rest), unresolved: words[index].unresolved), 0
            )
        }
        guard index + 1 < words.count else { return (text[at], nil, 0) }
        return (text[at], words[index + 1], 1)
    }

    /// The last path component of a URL, query and fragment removed.
    static func fileName(ofURL url: String) -> String {
        var text = Substring(url)
        if let mark = text.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            text = text[..<mark]
        }
        // After `scheme://host`, the path.
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let start = parts.first?.hasSuffix(":") == true ? 3 : 0
        guard parts.count > start + 1 || (start == 0 && !parts.isEmpty) else { return "" }
        return parts.last.map(String.init) ?? ""
    }
}
