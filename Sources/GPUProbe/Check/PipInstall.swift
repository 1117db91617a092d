/// A `pip install` (or `pip3`, `python -m pip`, `uv pip`, `conda run ... pip`) read from a
/// command's words: its requirements and where it looks for packages.
struct PipInstall: Hashable, Sendable {
    /// How it was called (`pip3`, `python3 -m pip`, `uv pip`), for messages.
    var tool: String
    /// The requirements named on the command line.
    var requirements: [PipRequirement] = []
    /// `-i` / `--index-url` / `--default-index` (the last one counts).
    var indexURL: ScriptWord?
    /// `--extra-index-url` / `--index`.
    var extraIndexURLs: [ScriptWord] = []
    /// `-f` / `--find-links`.
    var findLinks: [ScriptWord] = []
    /// uv's `--torch-backend`.
    var torchBackend: String?
    /// `--no-index`.
    var noIndex = false
    /// `-r` / `--requirement` files, as written (relative to the command's directory).
    var requirementFiles: [ScriptWord] = []
    /// `-U` / `--upgrade` / `--force-reinstall`: an installed version is replaced.
    var upgrade = false
    /// `--no-deps`: the packages' own requirements are neither installed nor checked.
    var noDeps = false
    /// `uv pip` rather than pip: indexes are searched by ``indexStrategy``.
    var isUV = false
    /// uv's `--index-strategy` (`UV_INDEX_STRATEGY`), as written.
    var indexStrategy: String?
    /// The variables of a program word with no known value (`${PY} -m pip install`, `$PIP
    /// install`): the install is read as pip's, but which interpreter runs it is not known.
    var unknownProgram: [String] = []

    /// Options that take a value (the next word, or after `=`), pip's and uv's.
    static let valued: Set<String> = [
        "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-r", "--requirement",
        "-c", "--constraint", "-e", "--editable", "-t", "--target", "--prefix", "--root",
        "--platform", "--python-version", "--implementation", "--abi", "--upgrade-strategy",
        "--progress-bar", "--src", "--global-option", "--install-option", "-C",
        "--config-settings", "--report", "--only-binary", "--no-binary", "--trusted-host",
        "--timeout", "--retries", "--cache-dir", "--log", "--proxy", "--cert", "--client-cert",
        "--exists-action", "--python", "-p", "--root-user-action", "--keyring-provider",
        "--index", "--default-index", "--index-strategy", "--torch-backend", "--override",
        "--resolution", "--prerelease", "--link-mode", "--config-file", "--exclude-newer",
        "--python-platform", "--refresh-package", "--reinstall-package", "--upgrade-package",
        "-P", "--no-build-package", "--no-binary-package", "--build-constraint", "--group",
        "--extra", "--log-file", "--use-feature", "--use-deprecated", "--build", "-b",
    ]

    /// The install a command runs, or nil when it is not a package install.
    ///
    /// - Parameters:
    ///   - words: the command's words, wrappers already removed.
    ///   - environment: `PIP_INDEX_URL` and the like in effect.
    /// - Returns: the install, or nil.
    static func parse(_ words: [ScriptWord], environment: [String: String] = [:]) -> PipInstall? {
        var rest = words[...]
        var tool = ""
        var isUV = false
        while let first = rest.first {
            let program = CommandWords.basename(first.text)
            if ["conda", "mamba", "micromamba"].contains(program),
                rest.dropFirst().first?.text == "run"
            {
                rest = skipOptions(
                    rest.dropFirst(2),
                    valued: [
                        "-n", "--name", "-p", "--prefix",
                        "--cwd",
                    ]
                )
                tool = program + " run "
                continue
            }
            if isProgram(program, "python") {
                var after = rest.dropFirst()
                while let option = after.first, option.text.hasPrefix("-"), option.text != "-m",
                    !option.text.hasPrefix("-mpip")
                {
                    after = after.dropFirst()
                    if option.text == "-X" || option.text == "-W" { after = after.dropFirst() }
                }
                guard let flag = after.first else { return nil }
                let module: String
                if flag.text == "-m" {
                    guard let name = after.dropFirst().first?.text else { return nil }
                    module = name
                    after = after.dropFirst(2)
                } else {
                    module = String(flag.text.dropFirst(2))
                    after = after.dropFirst()
                }
                guard isProgram(module, "pip") else { return nil }
                tool += "\(program) -m \(module)"
                rest = after
                break
            }
            if isProgram(program, "pip") {
                tool += program
                rest = rest.dropFirst()
                break
            }
            if program == "uv" {
                rest = skipOptions(
                    rest.dropFirst(),
                    valued: [
                        "--cache-dir", "--config-file",
                        "--directory", "--project", "--color",
                    ]
                )
                guard rest.first?.text == "pip" else { return nil }
                tool += "uv pip"
                isUV = true
                rest = rest.dropFirst()
                break
            }
            // `${PY} -m pip install`, `$PIP install`: a program word set only by the base
            // image or at build time, followed by what only pip takes.
            let next = rest.dropFirst()
            if !first.unresolved.isEmpty, let word = next.first,
                word.text == "install"
                    || word.text == "-m"
                        && next.dropFirst().first.map({ isProgram($0.text, "pip") })
                            == true
            {
                let name = first.unresolved.first.map { $0.hasPrefix("$") ? $0 : "$" + $0 } ?? "?"
                tool += word.text == "install" ? name : "\(name) -m pip"
                rest = word.text == "install" ? next : next.dropFirst(2)
                var install = PipInstall(tool: tool)
                install.unknownProgram = first.unresolved
                rest = skipOptions(rest, valued: valued)
                guard rest.first?.text == "install" else { return nil }
                install.read(rest.dropFirst())
                install.applyEnvironment(environment, uv: false)
                return install
            }
            return nil
        }
        rest = skipOptions(rest, valued: valued)
        guard rest.first?.text == "install" else { return nil }
        var install = PipInstall(tool: tool)
        install.isUV = isUV
        install.read(rest.dropFirst())
        install.applyEnvironment(environment, uv: isUV)
        return install
    }

    /// `pip`, `pip3`, `pip3.11`; `python`, `python3`, `python3.11`.
    static func isProgram(_ name: String, _ stem: String) -> Bool {
        guard name.hasPrefix(stem) else { return false }
        return name.dropFirst(stem.count).allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }

    private static func skipOptions(_ words: ArraySlice<ScriptWord>, valued: Set<String>)
        -> ArraySlice<ScriptWord>
    {
        var rest = words
        while let word = rest.first, word.text.hasPrefix("-") {
            rest = rest.dropFirst()
            if valued.contains(word.text) { rest = rest.dropFirst() }
        }
        return rest
    }

    /// Takes in requirements and options: a command line's, or a requirements file's.
    mutating func read(_ words: ArraySlice<ScriptWord>) {
        var rest = words
        while let word = rest.first {
            rest = rest.dropFirst()
            let text = word.text
            guard text.hasPrefix("-"), text.count > 1 else {
                if let requirement = PipRequirement(word) { requirements.append(requirement) }
                continue
            }
            var option = text
            var value: ScriptWord?
            if text.hasPrefix("--"), let equals = text.firstIndex(of: "=") {
                option = String(text[..<equals])
                value = ScriptWord(
                    text: String(text[text.index(after: equals)...]),
                    unresolved: word.unresolved
                )
            } else if Self.valued.contains(text) {
                value = rest.first
                rest = rest.dropFirst()
            } else if text.count > 2, !text.hasPrefix("--"),
                ["-i", "-f", "-r"].contains(String(text.prefix(2)))
            {
                option = String(text.prefix(2))
                value = ScriptWord(text: String(text.dropFirst(2)), unresolved: word.unresolved)
            }
            switch option {
            case "-i", "--index-url", "--default-index":
                indexURL = value
            case "--extra-index-url":
                if let value { extraIndexURLs.append(value) }
            case "--index":
                if var value {
                    // uv: `--index name=https://...`.
                    if let equals = value.text.firstIndex(of: "="),
                        !value.text[..<equals].contains("/")
                    {
                        value.text = String(value.text[value.text.index(after: equals)...])
                    }
                    extraIndexURLs.append(value)
                }
            case "-f", "--find-links":
                if let value { findLinks.append(value) }
            case "--torch-backend":
                torchBackend = value?.text
            case "--index-strategy":
                indexStrategy = value?.text
            case "--no-index":
                noIndex = true
            case "-r", "--requirement":
                if let value { requirementFiles.append(value) }
            case "-U", "--upgrade", "--force-reinstall":
                upgrade = true
            case "--no-deps":
                noDeps = true
            default:
                break
            }
        }
    }

    private mutating func applyEnvironment(_ environment: [String: String], uv: Bool) {
        func words(_ key: String) -> [ScriptWord] {
            (environment[key] ?? "").split(separator: " ").map { ScriptWord(text: String($0)) }
        }
        let indexKeys = uv ? ["UV_DEFAULT_INDEX", "UV_INDEX_URL"] : ["PIP_INDEX_URL"]
        if indexURL == nil {
            indexURL = indexKeys.lazy.compactMap { words($0).last }.first
        }
        let extraKeys = uv ? ["UV_INDEX", "UV_EXTRA_INDEX_URL"] : ["PIP_EXTRA_INDEX_URL"]
        extraIndexURLs += extraKeys.flatMap(words)
        findLinks += words(uv ? "UV_FIND_LINKS" : "PIP_FIND_LINKS")
        if uv, torchBackend == nil { torchBackend = environment["UV_TORCH_BACKEND"] }
        if uv, indexStrategy == nil { indexStrategy = environment["UV_INDEX_STRATEGY"] }
    }

    /// The requirement for a package (`torch`, `torchvision`, `torchaudio`).
    func requirement(_ name: String) -> PipRequirement? {
        requirements.last { $0.name == name }
    }
}

/// One requirement: `torch==2.4.0+cu124`, `torch>=2`, `torch[opt]`, a wheel URL or path.
struct PipRequirement: Hashable, Sendable {
    /// The normalized project name (`torch`, `torchvision`).
    var name: String
    /// The exact version of `==` (or a wheel's file name), local part included
    /// (`2.4.0+cu124`); nil when not pinned to one version.
    var pinned: String?
    /// The requirement as written.
    var text: String
    /// Unknown variables in it.
    var unresolved: [String]
    /// The `cuXYZ` folder of a wheel URL (`.../whl/cu124/torch-...whl`), when it has one.
    var urlVariant: String?
    /// The name alone (extras allowed): any version will do.
    var bare = false
    /// The version specifier's clauses (empty for a bare name); nil for a wheel or URL, or a
    /// specifier not understood here.
    var specifiers: [PipSpecifier]?

    /// The version without its local part (`2.4.0`).
    var version: String? { pinned.map { String($0.prefix { $0 != "+" }) } }

    /// The local version part (`cu124`), when pinned with one.
    var local: String? {
        guard let pinned, let plus = pinned.firstIndex(of: "+") else { return nil }
        return String(pinned[pinned.index(after: plus)...]).lowercased()
    }

    /// Reads a requirement word; nil for words that are not one (a path to a folder).
    init?(_ word: ScriptWord) {
        text = word.text
        unresolved = word.unresolved
        let trimmed = CommandWords.trimmed(word.text.prefix { $0 != ";" })
        if trimmed.hasSuffix(".whl") {
            // A wheel file or URL: `torch-2.4.0%2Bcu124-cp310-cp310-linux_x86_64.whl`.
            let path = trimmed.split(separator: "@").last.map(String.init) ?? trimmed
            let parts = path.split(separator: "/").map(String.init)
            guard let file = parts.last else { return nil }
            let decoded = file.replacingText("%2B", with: "+").replacingText("%2b", with: "+")
            let fields = decoded.split(separator: "-").map(String.init)
            guard fields.count >= 3 else { return nil }
            name = Self.normalize(fields[0])
            pinned = fields[1]
            urlVariant = parts.dropLast().last { Self.isVariantName($0) }
            return
        }
        // The name's bytes are ASCII, so the first other byte is also a Character boundary;
        // read on UTF-8 as every word of every pip command passes here.
        let index =
            trimmed.utf8.firstIndex { byte in
                !(HeaderText.isWordByte(byte) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: "-"))
            } ?? trimmed.endIndex
        guard index > trimmed.startIndex else { return nil }
        name = Self.normalize(String(trimmed[..<index]))
        var rest = trimmed[index...].drop { $0 == " " }
        if rest.first == "[" { rest = rest.drop { $0 != "]" }.dropFirst().drop { $0 == " " } }
        if rest.hasPrefix("@") {
            let url = CommandWords.trimmed(rest.dropFirst())
            guard let wheel = PipRequirement(ScriptWord(text: url)) else {
                pinned = nil
                return
            }
            pinned = wheel.pinned
            urlVariant = wheel.urlVariant
            return
        }
        let specifier = rest.filter { $0 != " " }
        bare = specifier.isEmpty
        specifiers = bare ? [] : PipSpecifier.parse(specifier)
        if specifier.hasPrefix("==") || specifier.hasPrefix("==="),
            !specifier.contains(","), !specifier.contains("*")
        {
            pinned = String(specifier.drop { $0 == "=" })
        } else {
            pinned = nil
        }
        if pinned?.isEmpty == true { pinned = nil }
    }

    /// PEP 503 normalization: lower case, runs of `-`, `_`, `.` as one `-`.
    static func normalize(_ name: String) -> String {
        if name.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(name.utf8.count)
            for byte in name.utf8 {
                if byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                    || byte == UInt8(ascii: ".")
                {
                    if out.last != UInt8(ascii: "-") { out.append(UInt8(ascii: "-")) }
                } else {
                    out.append((0x41...0x5A).contains(byte) ? byte + 0x20 : byte)
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        var out = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { out.append("-") }
                lastWasSeparator = true
            } else {
                out.append(character)
                lastWasSeparator = false
            }
        }
        return out
    }

    /// `cu124`, `cpu`, `rocm6.1`, `xpu`: a PyTorch index or local version name.
    static func isVariantName(_ text: String) -> Bool {
        let lower = text.lowercased()
        if lower == "cpu" || lower == "xpu" { return true }
        if lower.hasPrefix("cu") {
            let digits = lower.dropFirst(2)
            return (2...3).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
        }
        if lower.hasPrefix("rocm") {
            let rest = lower.dropFirst(4)
            return !rest.isEmpty && rest.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
        }
        return false
    }
}
