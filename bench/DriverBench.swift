// A small driver over the library's Drivers/ sources, compiled by bench/drivers.sh with
// `swiftc -O` (no gpuprobe subcommand: the CLI is not this benchmark's to change).
//
//   driverbench read FILE...         read each installer, print one summary line per file
//   driverbench scan DIR CACHEFILE   scan a folder with a cache, print what was read
import FoundationEssentials

@main
struct DriverBench {
    static func main() throws {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case "read":
            for path in arguments.dropFirst() {
                print(summary(DriverInstallerReader.read(path: path)))
            }
        case "scan" where arguments.count == 3:
            let scan = try DriverFolder.scan(arguments[1], cache: DriverCache(path: arguments[2]))
            for installer in scan.installers { print(summary(installer)) }
            print("reread=\(scan.reread.count) from_cache=\(scan.fromCache.count)")
            for note in scan.notes { print("note: \(note)") }
        default:
            print("usage: driverbench read FILE... | driverbench scan DIR CACHEFILE")
        }
    }

    static func summary(_ installer: DriverInstaller) -> String {
        [
            installer.fileName,
            installer.version ?? "-",
            installer.compression ?? "-",
            installer.supportedGPUs.map { "\($0.count) chips" } ?? "no list",
            installer.sha256 ?? "-",
            installer.problem ?? "ok",
        ].joined(separator: "  ")
    }
}
