#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What gpuprobe asks of the running system that is not a file: the kernel's name, the
/// environment, the process and its processors.
enum HostSystem {
    /// The kernel's `uname(2)` fields, decoded as UTF-8 with replacement characters.
    static func kernel() -> (sysname: String, nodename: String, release: String, machine: String) {
        var name = utsname()
        uname(&name)
        func field<T>(_ value: T) -> String {
            withUnsafeBytes(of: value) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
        }
        return (field(name.sysname), field(name.nodename), field(name.release), field(name.machine))
    }

    /// The value of the environment variable `name`, or nil when it is not set.
    ///
    /// The corresponding C function is `getenv`.
    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// This process's ID, which names its temporary folders apart from another gpuprobe's.
    static var processID: Int32 { getpid() }

    /// The processors online now, at least 1.
    ///
    /// The corresponding C function is `sysconf` with `_SC_NPROCESSORS_ONLN`.
    static var onlineProcessors: Int { max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))) }
}
