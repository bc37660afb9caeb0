import DequeModule
import DropdialBase
import Foundation

/// The threads every request's routing, key check and handler run on, instead of Swift's
/// cooperative pool.
///
/// A handler reads the store synchronously (SQLite blocks its thread). On the cooperative pool
/// that read competed with everything else the daemon awaits, and on Linux the pool gave the server
/// one thread whenever an import kept both cores busy: requests queued behind one another and
/// batch-details p99 at 64 connections during a 1M-row import was 60–100 ms. On threads of their
/// own the kernel schedules them as it does the import's, and p99 stays near the idle figure
/// (bench/http.sh). NIO's event loops still do the socket work.
///
/// A fixed set of threads taking jobs from one FIFO queue; `RequestExecutorMiddleware` makes it
/// each request's task executor.
final class RequestExecutor: TaskExecutor, @unchecked Sendable {
    /// The process's one executor: its threads live as long as the process.
    static let shared = RequestExecutor(threads: threadCount, name: "dd-http")

    /// Two per core, at least four: a handler that waits on SQLite's write lock (a pause during a
    /// long import) holds a thread, and the others keep serving.
    static var threadCount: Int { max(4, 2 * ProcessInfo.processInfo.activeProcessorCount) }

    // `condition` guards `jobs`; a thread takes one job under it and runs it outside.
    private let condition = NSCondition()
    private var jobs = Deque<UnownedJob>()

    init(threads: Int, name: String) {
        for i in 0..<threads {
            let thread = Thread { [self] in
                ThreadName.set("\(name)-\(i)")
                work()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func work() {
        let me = asUnownedTaskExecutor()
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: me)
        }
    }
}
