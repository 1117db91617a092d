/// Exit statuses, one table for every command: the binary exits with these, and the full help
/// and the man page are written from ``meanings``.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// Done; problems on the host are reported inside the output, not by the status.
    case success = 0
    /// `check`: the Dockerfile does not fit the host.
    case incompatible = 1
    /// An input could not be read or used, or the output could not be written: the message
    /// says which and what to do.
    case error = 2
    /// `match`, `dockerfile`, `run-flags`: nothing fits the host, or there is nothing to emit.
    case planIncomplete = 3
    /// The command line is wrong.
    case usage = 64

    /// What each status means, for people, in the order of the statuses; the last row is the
    /// signal statuses (128 + N), which ``Interruption`` produces.
    public static let meanings: [(status: String, meaning: String)] = [
        (
            "0",
            "done; problems on the host are reported inside the output, not by the exit status; "
                + "check: the Dockerfile fits the host (warnings may still be printed)"
        ),
        ("1", "check: the Dockerfile does not fit the host"),
        (
            "2",
            "an input could not be read or used, or the output could not be written (missing "
                + "or unreadable file, input too large, not a capture, a host JSON of another "
                + "schema version, a Dockerfile that cannot be parsed, a value unsafe for a "
                + "Dockerfile line, Ascend files missing on the host, a file that would be "
                + "replaced without --force)"
        ),
        (
            "3",
            "match: the plan is incomplete (no installer fits, no wheel fits, or the host has "
                + "GPUs without a driver); the plan is still printed and says why. dockerfile, "
                + "run-flags: the same, or nothing to emit; nothing is written"
        ),
        ("64", "the command line is wrong (including --devices naming a device the host lacks)"),
        (
            "128+N",
            "ended by signal N (130 SIGINT, 143 SIGTERM, 129 SIGHUP, ...): running tools are "
                + "killed, temporary files removed, and no file or bundle is left half written"
        ),
    ]
}

// MARK: - The one place a run's end becomes a status

extension ExitStatus {
    /// The status of a command line that cannot be run.
    public init(_ error: UsageError) {
        self = .usage
    }

    /// The status of a command that ran to its end.
    public init(_ outcome: CommandResult.Outcome) {
        switch outcome {
        case .done: self = .success
        case .planIncomplete: self = .planIncomplete
        case .incompatible: self = .incompatible
        }
    }

    /// The status of a command that stopped: a wrong command line, an input that cannot be
    /// used, or a plan that leaves nothing to emit.
    public init(_ failure: CommandFailure) {
        switch failure {
        case .usage: self = .usage
        case .input: self = .error
        // A value unsafe for a Dockerfile line is an input that cannot be used; a device the
        // host lacks is a wrong --devices.
        case .emit(.unsafe): self = .error
        case .emit(.unknownDevice): self = .usage
        case .emit(.planIncomplete), .emit(.nothingToEmit): self = .planIncomplete
        }
    }
}
