import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What an interrupted gpuprobe undoes before it exits: the temporary files and folders it is
/// writing, and the process groups of the tools it is running.
///
/// The fatal signals (``signals``) are blocked in every thread and taken by one thread that waits for them
/// with `sigwait`, so the undoing runs as ordinary code: removing a folder tree is not
/// something a signal handler may do. Commits (the renames that put finished output in place)
/// run inside ``uninterrupted(_:)`` under the same lock as the undoing, so an interrupt waits
/// for a commit that has begun and no commit begins after an interrupt was taken. Without
/// ``install(report:)`` (library users, tests) the bookkeeping is kept but signals keep their
/// default action.
public enum Interruption {
    /// A registered temporary path.
    public struct Token: Hashable, Sendable {
        let id: Int
    }

    private struct State: Sendable {
        var paths: [Int: String] = [:]
        var groups: Set<pid_t> = []
        var next = 0
        var report: (@Sendable (Int32, [String]) -> Void)?
    }

    private static let state = Mutex(State())

    /// The signals taken: every signal whose default action ends the process and that can be
    /// caught as it arrives from outside.
    ///
    /// Not only Ctrl-C and a polite kill: a dropped SSH session sends SIGHUP, a job scheduler's
    /// time limit SIGXCPU or SIGALRM, a stray `kill -USR1` would end gpuprobe with the same
    /// half-written output. SIGPIPE is among them so that a write to a closed pipe fails with
    /// `EPIPE` (the signal stays pending on the writing thread) and is reported like any other
    /// write failure. Left out: the faults the kernel raises in the faulting thread itself
    /// (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGABRT), which no other thread can
    /// take, SIGKILL and SIGSTOP, which nothing can, and glibc's own real-time signals below
    /// `SIGRTMIN`. Tools are started with an empty mask, so they see every signal as usual.
    static let signals: [Int32] =
        [
            SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGTERM, SIGUSR1, SIGUSR2, SIGSTKFLT,
            SIGXCPU, SIGVTALRM, SIGPROF, SIGIO, SIGPWR,
        ] + Array(__libc_current_sigrtmin()...__libc_current_sigrtmax())

    /// A signal's name for messages: `SIGHUP`, `SIGRTMIN+3`, or `signal 99`.
    public static func name(of signal: Int32) -> String {
        let names: [Int32: String] = [
            SIGHUP: "SIGHUP", SIGINT: "SIGINT", SIGQUIT: "SIGQUIT", SIGPIPE: "SIGPIPE",
            SIGALRM: "SIGALRM", SIGTERM: "SIGTERM", SIGUSR1: "SIGUSR1", SIGUSR2: "SIGUSR2",
            SIGSTKFLT: "SIGSTKFLT", SIGXCPU: "SIGXCPU", SIGVTALRM: "SIGVTALRM",
            SIGPROF: "SIGPROF", SIGIO: "SIGIO", SIGPWR: "SIGPWR",
        ]
        if let name = names[signal] { return name }
        let low = __libc_current_sigrtmin()
        if (low...__libc_current_sigrtmax()).contains(signal) {
            return signal == low ? "SIGRTMIN" : "SIGRTMIN+\(signal - low)"
        }
        return "signal \(signal)"
    }

    /// Blocks the fatal signals (``signals``) and starts the thread that takes them.
    ///
    /// Call it first thing in `main`, before any other thread starts: threads inherit the
    /// blocked mask, and a thread started earlier could take the signal with its default
    /// action. On a signal, running tools' process groups get SIGKILL, registered paths are
    /// removed, `report` is called with the signal and the removed paths, and the process
    /// exits with 128 + the signal.
    /// - Parameter report: says what was done (one line on stderr, for example).
    public static func install(report: @escaping @Sendable (Int32, [String]) -> Void) {
        state.withLock { $0.report = report }
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        var thread = pthread_t()
        let started = pthread_create(
            &thread,
            nil,
            { _ in
                Interruption.takeSignals()
                return nil
            },
            nil
        )
        if started == 0 {
            pthread_detach(thread)
        } else {
            // No thread to take them: let the signals kill us as they would have.
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
    }

    /// Registers a temporary path to remove on interrupt.
    public static func removeOnInterrupt(_ path: String) -> Token {
        state.withLock { state in
            state.next += 1
            state.paths[state.next] = path
            return Token(id: state.next)
        }
    }

    /// Drops a path registered with ``removeOnInterrupt(_:)`` (it was committed or removed).
    public static func forget(_ token: Token) {
        _ = state.withLock { $0.paths.removeValue(forKey: token.id) }
    }

    /// Runs `body` with interrupts held off: a commit runs whole or not at all.
    public static func uninterrupted<E: Error>(_ body: () throws(E) -> Void) throws(E) {
        try state.withLock { _ throws(E) in try body() }
    }

    /// Starts a child through `spawn` and registers its process group, whose leader is the
    /// child, for SIGKILL on interrupt; the interrupt cannot fall between the two.
    static func spawnTracked<T>(_ spawn: () -> T, group: (T) -> pid_t?) -> T {
        state.withLock { state in
            let child = spawn()
            if let pid = group(child) { state.groups.insert(pid) }
            return child
        }
    }

    /// Forgets a process group once its leader has been reaped.
    static func untrack(group: pid_t) {
        _ = state.withLock { $0.groups.remove(group) }
    }

    /// A pause between writing and committing, for the tests that interrupt there.
    ///
    /// When `GPUPROBE_TEST_HOLD` names `point`, says so on stderr and sleeps up to 60 s, so a
    /// test can send its signal while the temporary output is complete but not yet in place.
    /// Nothing else reads the variable.
    static func testHold(_ point: String) {
        guard let value = getenv("GPUPROBE_TEST_HOLD"), String(cString: value) == point else {
            return
        }
        let line = Array("gpuprobe: test hold: \(point)\n".utf8)
        _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        for _ in 0..<600 { usleep(100_000) }
    }

    private static func signalSet() -> sigset_t {
        // Filled by sigemptyset, not by `sigset_t()`: the zero initialiser of an imported C
        // struct belongs to whichever module the compiler saw import its header first (the
        // project's CShims, in a whole-module release build), which this file does not import.
        let set = UnsafeMutablePointer<sigset_t>.allocate(capacity: 1)
        defer { set.deallocate() }
        sigemptyset(set)
        for signal in signals { sigaddset(set, signal) }
        return set.pointee
    }

    private static func takeSignals() {
        var set = signalSet()
        var signal: Int32 = 0
        while sigwait(&set, &signal) != 0 {}
        // The lock is never given back: no commit may start once we are undoing.
        state.withLock { state in
            for group in state.groups { kill(-group, SIGKILL) }
            var removed: [String] = []
            for (_, path) in state.paths.sorted(by: { $0.key < $1.key }) {
                if remove(path) { removed.append(path) }
            }
            state.report?(signal, removed)
            _exit(128 + signal)
        }
    }

    /// Removes `path` (a file or a folder tree); true when something was there.
    ///
    /// The main thread may still be creating files in a folder being removed, so removal is
    /// tried again while the path exists.
    private static func remove(_ path: String) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0 else { return false }
        for _ in 0..<5 {
            try? FileSystem.removeTree(path)
            if lstat(path, &info) != 0 { break }
        }
        return true
    }
}
