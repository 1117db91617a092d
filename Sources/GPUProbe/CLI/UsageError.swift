/// A command line we cannot run; printed as `gpuprobe: error: <description>` with exit 64.
public enum UsageError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An option we do not know.
    case unknownOption(String)
    /// An option that needs a value came last.
    case missingValue(flag: String)
    /// An option's value is not acceptable.
    case badValue(flag: String, value: String, expected: String)
    /// `--flag=value` for a flag that takes no value.
    case unexpectedValue(flag: String)
    /// A required argument is missing.
    case missingArgument(String)
    /// An argument nobody asked for.
    case unexpectedArgument(String)
    /// An option that does not apply to this command; `takenBy` names the commands that take
    /// it, if any.
    case notApplicable(flag: String, command: String, takenBy: [String] = [])

    /// One line: what is wrong and what to do.
    public var description: String {
        switch self {
        case .unknownOption(let option):
            "unknown option '\(option)'"
        case .missingValue(let flag):
            "\(flag) needs a value"
        case .badValue(let flag, let value, let expected):
            "'\(value)' is not valid for \(flag); expected \(expected)"
        case .unexpectedValue(let flag):
            "\(flag) takes no value"
        case .missingArgument(let what):
            "missing \(what)"
        case .unexpectedArgument(let argument):
            "unexpected argument '\(argument)'"
        case .notApplicable(let flag, let command, let owners):
            "\(flag) does not apply to '\(command)'"
                + (owners.isEmpty
                    ? "" : "; " + wordList(owners) + (owners.count == 1 ? " takes it" : " take it"))
        }
    }
}
