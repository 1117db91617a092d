/// Why a Dockerfile could not be read: the builder would refuse it too, so `check` judges
/// nothing and exits 2.
public struct DockerfileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Equatable, Sendable {
        /// The text holds a NUL byte: a binary file, not a Dockerfile.
        case notText
        /// The bytes were not UTF-8 (a replacement character stands where they were).
        case notUTF8
        /// `# escape=` names something other than a backslash or a backtick.
        case badEscape(String)
        /// A parser directive (`escape`, `syntax`, `check`) appears twice.
        case repeatedDirective(String)
        /// A heredoc whose terminator line never comes.
        case unterminatedHeredoc(String)
        /// The first word of an instruction is not an instruction.
        case unknownInstruction(String)
        /// An instruction other than `ARG` before the first `FROM`.
        case beforeFrom(String)
        /// No `FROM` at all.
        case noFrom
        /// More instructions than ``DockerfileParser/instructionLimit``.
        case tooManyInstructions(Int)
        /// More simple commands in `RUN` lines than ``DockerfileWalker/commandLimit``.
        case tooManyCommands(Int)
        /// One instruction, its continuation lines joined, longer than
        /// ``DockerfileParser/instructionByteLimit``.
        case instructionTooLong(Int)
    }

    /// What is wrong.
    public var problem: Problem
    /// The 1-based line it is on (the instruction's first line).
    public var line: Int
    /// The Dockerfile's path as the user named it, for the message.
    public var path: String

    /// Creates an error.
    public init(_ problem: Problem, line: Int, path: String = "Dockerfile") {
        self.problem = problem
        self.line = line
        self.path = path
    }

    /// One line: where, what is wrong, what to do.
    public var description: String {
        let place = "\(path):\(line): "
        switch problem {
        case .notText:
            return place + "the file holds a NUL byte, so it is not a Dockerfile; pass the "
                + "Dockerfile itself"
        case .notUTF8:
            return place + "the file is not UTF-8 text; save it as UTF-8 (as the builder reads it)"
        case .badEscape(let value):
            return place + "the escape directive names '\(value.prefix(20))'; only `\\` and "
                + "`` ` `` are allowed: write `# escape=\\` or `# escape=``"
        case .repeatedDirective(let name):
            return place + "the parser directive '\(name)' is given twice; keep one"
        case .unterminatedHeredoc(let name):
            return place + "the heredoc <<\(name.prefix(40)) is never closed; end it with a "
                + "line that holds only \(name.prefix(40))"
        case .unknownInstruction(let word):
            return place + "'\(word.prefix(40))' is not a Dockerfile instruction; fix the "
                + "spelling or the line continuation before it"
        case .tooManyInstructions(let limit):
            return place + "the file has more than \(limit) instructions, where real Dockerfiles "
                + "have a few thousand at most; gpuprobe judges up to \(limit): pass the "
                + "Dockerfile itself, or split the build into stages of separate files"
        case .tooManyCommands(let limit):
            return place + "the RUN lines up to here run more than \(limit) commands, where "
                + "real Dockerfiles run hundreds; gpuprobe judges up to \(limit): pass the "
                + "Dockerfile itself, or move long scripts into files the Dockerfile copies"
        case .instructionTooLong(let limit):
            return place
                + "this instruction, with its continuation lines and heredocs, is longer than "
                + "\(limit >> 20) MiB, where real ones are kilobytes; gpuprobe judges none "
                + "longer: pass the Dockerfile itself, or move the script into a file the "
                + "Dockerfile copies"
        case .beforeFrom(let keyword):
            return place + "\(keyword) comes before the first FROM, where only ARG may stand; "
                + "move it after FROM"
        case .noFrom:
            return place + "the Dockerfile has no FROM instruction; start the build stage with "
                + "FROM IMAGE"
        }
    }
}
