/// Undoes what pasting does to lspci text before the line reader sees it: prefixes that
/// scripts, grep and mail put in front of device lines, and device lines a mail or chat client
/// wrapped onto the next line.
///
/// Every rule keys on a PCI address right after the prefix, so text of other tools (an
/// nvidia-smi table, `npu-smi info`) never turns into devices here.
enum LspciPaste {
    /// One line, with its number in the pasted text.
    struct Line {
        var text: LspciBytes.Line
        var number: Int
    }

    /// What was undone, for the diagnostics.
    struct Notes: Hashable {
        /// Prefixes taken off device lines, by kind (`IOMMU Group N`, `grep -n` number, ...).
        var prefixes: [String: Int] = [:]
        /// Device lines joined with the line below, and the first of them.
        var joined = 0
        var firstJoined: Int?
    }

    /// The lines to read, prefixes removed and wrapped device lines joined.
    static func prepare(_ lines: [Line]) -> (lines: [Line], notes: Notes) {
        var notes = Notes()
        let grepNumbered = lines.contains { isUnambiguousGrepLine($0.text) }
        var lastGrepNumber = 0
        var stripped: [Line] = []
        stripped.reserveCapacity(lines.count)
        for line in lines {
            var text = line.text
            if let kind = stripPrefix(
                &text,
                grepNumbered: grepNumbered,
                lastGrepNumber: &lastGrepNumber
            ) {
                notes.prefixes[kind, default: 0] += 1
            }
            stripped.append(Line(text: text, number: line.number))
        }
        return (joinWrapped(stripped, notes: &notes), notes)
    }

    // MARK: - Prefixes

    /// Takes a paste prefix off `text`; returns its kind, or nil when there was none.
    ///
    /// Mail quoting (`> `) goes from every line; the others only where a PCI address follows,
    /// except `grep -n` numbers, which grep put on every line of the paste.
    private static func stripPrefix(
        _ text: inout LspciBytes.Line,
        grepNumbered: Bool,
        lastGrepNumber: inout Int
    ) -> String? {
        // Every prefix starts with a space, `>`, `I`, a digit or a list mark; lspci's detail
        // lines start with a tab and are most of a -v paste.
        guard let lead = text.first, lead != LspciBytes.tab else { return nil }
        var kind: String?
        let body = text.drop(while: LspciBytes.isBlank)
        if body.first == UInt8(ascii: ">") {
            var rest = body
            while rest.first == UInt8(ascii: ">") {
                rest = rest.dropFirst()
                if rest.first == LspciBytes.space { rest = rest.dropFirst() }
                rest = rest.drop { $0 == LspciBytes.space }
            }
            text = rest
            kind = "mail quote"
        }
        if let rest = afterIOMMUGroup(text) {
            text = rest
            return "IOMMU Group"
        }
        if let grep = grepNumber(text) {
            let isAddress = startsWithAddress(grep.rest)
            let sure = isAddress && isUnambiguous(grep)
            // A number that may be a domain (`1000:01:00.0`) is grep's only in a paste that
            // grep numbered for sure elsewhere, and only when it goes on counting up.
            // A device line that a number could be cut from but need not be stays whole.
            let likely =
                grepNumbered && grep.value > lastGrepNumber
                && (isAddress || !startsWithAddress(text))
            if sure || likely {
                lastGrepNumber = grep.value
                text = grep.rest
                return "grep -n line number"
            }
        }
        if let rest = afterListMarker(text) {
            text = rest
            return "list marker"
        }
        return kind
    }

    /// The text after `IOMMU Group N ` / `IOMMU group N: ` when a PCI address follows.
    ///
    /// The loop script widely copied for VFIO passthrough prints `IOMMU Group N` and then
    /// `lspci -nns ADDRESS` on the same line; its other version prints `IOMMU Group N:` on a
    /// line of its own, which is not a device line and is skipped as it is.
    private static func afterIOMMUGroup(_ text: LspciBytes.Line) -> LspciBytes.Line? {
        let body = text.drop(while: LspciBytes.isBlank)
        guard
            LspciBytes.hasPrefix(body, "IOMMU Group ") || LspciBytes.hasPrefix(body, "IOMMU group ")
        else { return nil }
        var rest = body.dropFirst(12)
        let digits = rest.prefix(while: ASCIIBytes.isDigit)
        guard !digits.isEmpty else { return nil }
        rest = rest[digits.endIndex...]
        if rest.first == LspciBytes.colon { rest = rest.dropFirst() }
        guard let first = rest.first, LspciBytes.isBlank(first) else { return nil }
        rest = rest.drop(while: LspciBytes.isBlank)
        return startsWithAddress(rest) ? rest : nil
    }

    /// A `grep -n` line number: decimal digits without a leading zero (grep prints `%d`),
    /// then `:` (a matching line) or `-` (a context line), at the very start of the line.
    private static func grepNumber(
        _ text: LspciBytes.Line
    ) -> (value: Int, digits: Int, separator: UInt8, rest: LspciBytes.Line)? {
        let digits = text.prefix(while: ASCIIBytes.isDigit)
        guard (1...9).contains(digits.count),
            digits.first != UInt8(ascii: "0") || digits.count == 1,
            digits.endIndex < text.endIndex,
            text[digits.endIndex] == LspciBytes.colon || text[digits.endIndex] == UInt8(ascii: "-"),
            let value = Int(LspciBytes.string(digits))
        else { return nil }
        return (value, digits.count, text[digits.endIndex], text[(digits.endIndex + 1)...])
    }

    /// Whether a numbered line can only be `grep -n`'s: a context line (`12-`), a number
    /// before an address that has its own domain (`12:0000:01:00.0`), or a number of one to
    /// three digits before `bb:dd.f`: lspci prints a domain with four hex digits at least
    /// (`%04x`), so `12:01:00.0` is line 12, not domain 0x12.
    private static func isUnambiguous(
        _ grep: (value: Int, digits: Int, separator: UInt8, rest: LspciBytes.Line)
    ) -> Bool {
        if grep.separator != LspciBytes.colon || grep.digits <= 3 { return true }
        let word = grep.rest.prefix { !LspciBytes.isBlank($0) }
        return word.filter { $0 == LspciBytes.colon }.count == 2
    }

    /// Whether `text` is a line that only `grep -n` makes (see ``isUnambiguous(_:)``).
    private static func isUnambiguousGrepLine(_ text: LspciBytes.Line) -> Bool {
        guard let first = text.first, ASCIIBytes.isDigit(first), let grep = grepNumber(text),
            startsWithAddress(grep.rest)
        else { return false }
        return isUnambiguous(grep)
    }

    /// The text after a list marker (`- `, `* `, `+ `, `• `, `1. `, `1) `) when a PCI address
    /// follows: notes and chat messages list devices that way.
    private static func afterListMarker(_ text: LspciBytes.Line) -> LspciBytes.Line? {
        let body = text.drop(while: LspciBytes.isBlank)
        var rest: LspciBytes.Line
        if let first = body.first,
            [UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+")]
                .contains(first)
        {
            rest = body.dropFirst()
        } else if LspciBytes.hasPrefix(body, "\u{2022}") {
            rest = body.dropFirst(3)
        } else {
            let digits = body.prefix(while: ASCIIBytes.isDigit)
            guard (1...4).contains(digits.count), digits.endIndex < body.endIndex,
                body[digits.endIndex] == UInt8(ascii: ".")
                    || body[digits.endIndex] == LspciBytes.closeParen
            else { return nil }
            rest = body[(digits.endIndex + 1)...]
        }
        guard let first = rest.first, LspciBytes.isBlank(first) else { return nil }
        rest = rest.drop(while: LspciBytes.isBlank)
        return startsWithAddress(rest) ? rest : nil
    }

    /// Whether `text` starts with a PCI address and more (a device line).
    static func startsWithAddress(_ text: LspciBytes.Line) -> Bool {
        LspciHeaderLine.leadingAddress(of: text) != nil
    }

    // MARK: - Wrapped lines

    /// Joins each device line with the line below when that line starts no record of its own
    /// and the joined line reads better (ids, revision or the class separator gained).
    ///
    /// A client wrapping at a space drops that space, one wrapping mid-word does not, so both
    /// joins are tried, the one with a space first. A line that is a device line itself, a
    /// deeper (detail) line, a `Key: value` line or a blank line is never joined.
    private static func joinWrapped(_ lines: [Line], notes: inout Notes) -> [Line] {
        let hardWrap = hardWrapWidth(lines)
        var firstPass = Notes()
        let joined = joinWrapped(lines, hardWrap: hardWrap, wrapWidth: nil, notes: &firstPass)
        guard hardWrap != nil || firstPass.joined > 0 else {
            notes.joined = firstPass.joined
            notes.firstJoined = firstPass.firstJoined
            return joined
        }
        // The paste shows it was wrapped: also join a device line whose next word did not
        // fit in the paste's width, which is how a client wrapping at spaces breaks lines;
        // that finds the wraps that gain no id (a name cut in two).
        let width = lines.map { trimmedLength($0.text) }.max() ?? 0
        return joinWrapped(lines, hardWrap: hardWrap, wrapWidth: width, notes: &notes)
    }

    private static func joinWrapped(
        _ lines: [Line],
        hardWrap: Int?,
        wrapWidth: Int?,
        notes: inout Notes
    ) -> [Line] {
        var result: [Line] = []
        result.reserveCapacity(lines.count)
        var index = 0
        while index < lines.count {
            var line = lines[index]
            index += 1
            var score = quality(line.text)
            guard score > 0 else {
                result.append(line)
                continue
            }
            let indent = LspciBytes.indentation(of: line.text)
            // Up to three lines may continue it (a long name can wrap twice); the join that
            // reads best wins, the shortest on a tie, unless the piece was cut at the
            // paste's width, which makes the join right even where it reads no better.
            var candidate = line.text
            var piece = line.text
            var best: (text: LspciBytes.Line, lines: Int)?
            var taken = 0
            while taken < 3, index + taken < lines.count,
                canContinue(lines[index + taken].text, indent: indent)
            {
                let next = lines[index + taken].text
                let atHardWidth = hardWrap == piece.count
                let cut =
                    atHardWidth
                    || wrapWidth.map { trimmedLength(piece) + 1 + firstWordLength(next) > $0 }
                        ?? false
                let joined = bestJoin(candidate, next, indent: indent, hardWrap: atHardWidth)
                candidate = joined.text
                piece = next
                taken += 1
                let extendsBest = (best?.lines ?? 0) == taken - 1
                if joined.score > score || (cut && extendsBest && joined.score == score) {
                    score = joined.score
                    best = (joined.text, taken)
                }
            }
            if let best {
                notes.joined += 1
                if notes.firstJoined == nil { notes.firstJoined = line.number }
                line.text = best.text
                index += best.lines
            }
            result.append(line)
        }
        return result
    }

    private static func trimmedLength(_ text: LspciBytes.Line) -> Int {
        text.reversed().drop(while: LspciBytes.isBlank).count
    }

    private static func firstWordLength(_ text: LspciBytes.Line) -> Int {
        text.drop(while: LspciBytes.isBlank).prefix { !LspciBytes.isBlank($0) }.count
    }

    /// Whether `next` may be the rest of a wrapped device line.
    ///
    /// lspci indents detail lines with a tab, so a continuation is no deeper than its device
    /// line, or one space deeper where a hard wrap cut just before a space.
    private static func canContinue(_ next: LspciBytes.Line, indent: Int) -> Bool {
        let body = LspciBytes.trimmed(next)
        let lead = next.prefix(while: LspciBytes.isBlank)
        guard !body.isEmpty,
            lead.count <= indent || (lead.count == indent + 1 && lead.last == LspciBytes.space),
            LspciMachineFormat.field(body) == nil, !LspciBytes.isHexDumpLine(body),
            !LspciParseState.kernelDetailKeys.contains(where: { LspciBytes.hasPrefix(body, $0) })
        else { return false }
        guard !isPrompt(body) else { return false }
        if case .notHeader = LspciHeaderLine.read(body) { return true }
        return false
    }

    /// Whether `text` starts with a shell prompt: `$ `, `# `, `> `, or a first word such as
    /// `root@node:~#` or `user@host:~$`.
    private static func isPrompt(_ text: LspciBytes.Line) -> Bool {
        let word = text.prefix { !LspciBytes.isBlank($0) }
        guard let last = word.last, word.endIndex < text.endIndex else { return false }
        let promptEnds: [UInt8] = [UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: ">")]
        return promptEnds.contains(last) && (word.count == 1 || word.contains(UInt8(ascii: "@")))
    }

    /// The width at which a terminal or editor cut lines mid-word, when the paste shows one.
    ///
    /// That is two or more device lines continued below, all exactly as long; a client
    /// wrapping at spaces ends its lines at varying columns.
    private static func hardWrapWidth(_ lines: [Line]) -> Int? {
        var widths: Set<Int> = []
        var count = 0
        for (index, line) in lines.enumerated().dropLast()
        where quality(line.text) > 0
            && canContinue(lines[index + 1].text, indent: LspciBytes.indentation(of: line.text))
        {
            widths.insert(line.text.count)
            count += 1
            if widths.count > 1 { return nil }
        }
        return count >= 2 ? widths.first : nil
    }

    /// The better of `first + " " + next` and `first + next`, with its quality; on a tie the
    /// space goes back in (a client wrapping at a space drops it), unless the line was cut
    /// at a hard-wrap width, where nothing was dropped.
    private static func bestJoin(
        _ first: LspciBytes.Line,
        _ next: LspciBytes.Line,
        indent: Int,
        hardWrap: Bool
    ) -> (text: LspciBytes.Line, score: Int) {
        // The paste's own indentation goes; a blank after it was in the line.
        let unindented = next.dropFirst(min(indent, LspciBytes.indentation(of: next)))
        let tight =
            (Array(first)
            + Array(
                unindented.reversed().drop(while: LspciBytes.isBlank)
                    .reversed()
            ))[...]
        let head = Array(first.reversed().drop(while: LspciBytes.isBlank).reversed())
        let spaced = (head + [LspciBytes.space] + Array(LspciBytes.trimmed(next)))[...]
        let hardCut =
            hardWrap || first.last == LspciBytes.space
            || unindented.first == LspciBytes.space
        let spacedScore = quality(spaced)
        let tightScore = quality(tight)
        if hardCut {
            return tightScore >= spacedScore ? (tight, tightScore) : (spaced, spacedScore)
        }
        return tightScore > spacedScore ? (tight, tightScore) : (spaced, spacedScore)
    }

    /// How much of a device line `text` reads: 0 for no device line, 1 for an address with
    /// nothing readable after it, more for each field read and for balanced brackets.
    static func quality(_ text: LspciBytes.Line) -> Int {
        // Device lines start with an address, so with a hex digit: most lines of a -vvv paste
        // (tab-indented details) are answered here.
        guard let first = text.first(where: { !LspciBytes.isBlank($0) }),
            LspciBytes.isHexDigit(first)
        else { return 0 }
        let body = LspciBytes.trimmed(text)
        switch LspciHeaderLine.read(body) {
        case .notHeader:
            return 0
        case .unreadable:
            return 1
        case .machineLine(let address, let rest):
            guard let device = LspciMachineFormat.readMachineLine(rest, address: address) else {
                return 1
            }
            return 2 + filled(device.vendorID, device.deviceID, device.classCode, device.revision)
        case .header(let fields):
            let derived = LspciDerivedIDs(fields)
            let opens = body.filter { $0 == LspciBytes.openBracket }.count
            let closes = body.filter { $0 == LspciBytes.closeBracket }.count
            return 2 + (opens == closes ? 1 : 0)
                + filled(derived.vendorID, derived.deviceID, derived.classCode, fields.revision)
        }
    }

    private static func filled(_ values: String?...) -> Int {
        values.filter { $0 != nil }.count
    }
}

/// The ids of a header line, read from lspci's numbers where it printed them and else from
/// its names: the vendor from ``LspciNames/builtInVendors``, the device from the
/// `VENDOR Device dddd` placeholder, the class from ``LspciClassNames``.
struct LspciDerivedIDs {
    var vendorID: String?
    var deviceID: String?
    var classCode: String?
    /// The built-in vendor name the vendor id was read from, when it was.
    var vendorFromName: String?
    var deviceFromName = false
    var classFromName = false

    init(_ fields: LspciHeaderLine.Fields) {
        vendorID = fields.vendorID
        deviceID = fields.deviceID
        classCode = fields.classCode
        if vendorID == nil, let vendor = LspciNames.builtInVendor(of: fields.name) {
            vendorID = vendor.id
            vendorFromName = vendor.name
        }
        if deviceID == nil, let id = LspciNames.placeholderDeviceID(fields.name) {
            deviceID = id
            deviceFromName = true
        }
        if classCode == nil, let name = fields.className, let code = LspciClassNames.code(for: name)
        {
            classCode = code
            classFromName = true
        }
    }
}
