/// Why `dockerfile` or `run-flags` wrote nothing; printed as one line.
public enum EmitError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A value that would reach a generated line is not safe there.
    case unsafe(what: String, value: String, expected: String)
    /// The plan has no choice for a part the host needs.
    case planIncomplete(String)
    /// The host has nothing to emit for.
    case nothingToEmit(String)
    /// `--devices` names something the host does not have.
    case unknownDevice(String)

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .unsafe(let what, let value, let expected):
            "\(what) '\(Self.printable(value))' cannot go into a Dockerfile or shell line; "
                + "expected \(expected)"
        case .planIncomplete(let reason): reason
        case .nothingToEmit(let reason): reason
        case .unknownDevice(let reason): reason
        }
    }

    /// `value` with control characters shown as escapes, so the error stays one line.
    static func printable(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\x" + String(scalar.value, radix: 16, uppercase: true)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
