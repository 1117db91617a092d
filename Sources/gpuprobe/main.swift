import GPUProbe

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// First, before any file is opened: see StandardStreams.closed.
_ = StandardStreams.closed
// Then, before any thread starts: see Interruption.install.
Interruption.install { signal, removed in
    let name = Interruption.name(of: signal)
    let what =
        removed.isEmpty ? "" : "; removed " + removed.map { "'\($0)'" }.joined(separator: ", ")
    _ = StandardStreams.write(
        "gpuprobe: interrupted by \(name)\(what); nothing was left half written\n",
        to: 2
    )
}

var context = CommandContext.live()
let execution = Commands.execute(Array(CommandLine.arguments.dropFirst()), &context)
// A message that cannot be written is dropped: a closed standard error must not stop the work
// it would only have commented on. Output that cannot be written (standard output closed, a
// full disk, a closed pipe) is an error: a result half written must not pass for a whole one.
let failure = execution.output.isEmpty ? nil : StandardStreams.write(execution.output, to: 1)
for message in execution.messages { _ = StandardStreams.write(message, to: 2) }
if let failure {
    _ = StandardStreams.write(
        "gpuprobe: error: cannot write to standard output: \(failure); run gpuprobe with "
            + "standard output open on a file or pipe that can take it\n",
        to: 2
    )
    exit(ExitStatus.error.rawValue)
}
exit(execution.status.rawValue)
