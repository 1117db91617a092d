import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs blocking jobs on threads of their own.
///
/// Tool runs block for up to the timeout each; a thread per job (two of them) keeps one hung
/// tool from delaying another however few cores the host has, which a shared pool does not
/// promise.
enum Concurrent {
    /// Jobs under way.
    final class Pending<T: Sendable>: Sendable {
        private let threads: [pthread_t]
        private let jobs: [Job<T>]

        fileprivate init(threads: [pthread_t], jobs: [Job<T>]) {
            self.threads = threads
            self.jobs = jobs
        }

        /// Blocks until every job has finished; results in the order the jobs were given.
        func wait() -> [T] {
            for thread in threads { pthread_join(thread, nil) }
            return jobs.compactMap { job in job.result.withLock { $0 } }
        }
    }

    fileprivate final class Job<T: Sendable>: Runnable, Sendable {
        let body: @Sendable () -> T
        let result = Mutex<T?>(nil)

        init(_ body: @escaping @Sendable () -> T) { self.body = body }

        func run() {
            let value = body()
            result.withLock { $0 = value }
        }
    }

    /// Starts every job on a new thread (inline if no thread can be created).
    static func start<T: Sendable>(_ bodies: [@Sendable () -> T]) -> Pending<T> {
        var threads: [pthread_t] = []
        let jobs = bodies.map { Job($0) }
        for job in jobs {
            let context = Unmanaged.passRetained(job as any Runnable as AnyObject).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(
                &thread,
                nil,
                { raw in
                    guard let raw else { return nil }
                    let object = Unmanaged<AnyObject>.fromOpaque(raw).takeRetainedValue()
                    (object as? any Runnable)?.run()
                    return nil
                },
                context
            )
            if status == 0 {
                threads.append(thread)
            } else {
                Unmanaged<AnyObject>.fromOpaque(context).release()
                job.run()
            }
        }
        return Pending(threads: threads, jobs: jobs)
    }
}

private protocol Runnable: AnyObject {
    func run()
}
