import DropdialBase
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The calling thread's own nice value (Linux schedules threads separately: `setpriority` on a
/// thread id touches that thread only). Only ever raised, which needs no privilege; meant for
/// threads that end with their work.
enum ThreadNice {
    private typealias GettidFn = @convention(c) () -> Int32
    private static let gettid: GettidFn? = dlsym(dlopen(nil, RTLD_NOW), "gettid").map { unsafeBitCast($0, to: GettidFn.self) }

    /// Makes the calling thread `amount` nicer (a no-op where the call is missing or refused).
    static func lower(by amount: Int32) {
        guard let tid = gettid?() else { return }
        errno = 0
        let current = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid))
        guard errno == 0 else { return }
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid), min(current + amount, 19))
    }
}

/// Work done on a thread of its own that runs nicer than the daemon and ends with the work: the
/// search indexing after a big import, so HTTP requests served meanwhile get the CPU first. The
/// caller's thread waits, using no CPU.
public enum NicerThread {
    public static func run<T, E: Error>(nicer amount: Int32, _ body: @escaping () throws(E) -> T) throws(E) -> T {
        // The work and its result cross to the new thread and back in one box; the semaphore
        // orders the two sides, which is what makes the unchecked Sendable safe.
        let box = ResultBox<T, E>(body)
        let thread = Thread {
            ThreadName.set("dd-nicer")
            ThreadNice.lower(by: amount)
            box.result = Result { () throws(E) -> T in try box.body() }
            box.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
        box.done.wait()
        return try box.result!.get()
    }

    private final class ResultBox<T, E: Error>: @unchecked Sendable {
        let body: () throws(E) -> T
        var result: Result<T, E>?
        let done = DispatchSemaphore(value: 0)

        init(_ body: @escaping () throws(E) -> T) { self.body = body }
    }
}
