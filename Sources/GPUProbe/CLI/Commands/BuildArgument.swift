/// One `--build-arg`: `NAME=VALUE`, or `NAME` alone, whose value `docker build` takes from
/// its own environment (and which is not set when the environment lacks it).
public struct BuildArgument: Equatable, Sendable {
    /// The `ARG` it sets.
    public var name: String
    /// The value; nil for `--build-arg NAME`, to be read from the environment.
    public var value: String?

    /// Creates a build argument.
    public init(name: String, value: String?) {
        self.name = name
        self.value = value
    }

    /// Reads `NAME=VALUE` or `NAME`; nil when NAME is not a name an `ARG` can be used by
    /// (letters, digits and `_`, not starting with a digit).
    ///
    /// - Parameter text: the flag's value.
    public init?(_ text: String) {
        let name: Substring
        if let equals = text.firstIndex(of: "=") {
            name = text[..<equals]
            value = String(text[text.index(after: equals)...])
        } else {
            name = text[...]
            value = nil
        }
        guard let first = name.utf8.first,
            first == 0x5F || (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first),
            name.utf8.allSatisfy({
                $0 == 0x5F || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0)
                    || (0x61...0x7A).contains($0)
            })
        else { return nil }
        self.name = String(name)
    }

    /// The values `check` uses: the last of each name; `NAME` alone from `environment`, and
    /// left out when the environment lacks it, as `docker build` does.
    ///
    /// - Parameters:
    ///   - arguments: the flags in order.
    ///   - environment: looks a variable up.
    /// - Returns: the build arguments.
    public static func values(
        _ arguments: [BuildArgument],
        environment: (String) -> String?
    ) -> [String: String] {
        var result: [String: String] = [:]
        for argument in arguments {
            result[argument.name] = argument.value ?? environment(argument.name)
        }
        return result
    }
}
