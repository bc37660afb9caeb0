@testable import DropdialStore
import Foundation
import Testing

/// The import's reading thread makes itself nicer, and only itself.
@Suite struct ThreadNiceTests {
    @Test func onlyTheCallingThreadGetsNicer() throws {
        let nice = Self.nice
        let before = nice()
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var inside: (Int32, Int32) = (0, 0)
        let thread = Thread {
            let start = nice()
            ThreadNice.lower(by: 3)
            inside = (start, nice())
            done.signal()
        }
        thread.start()
        done.wait()
        #expect(inside.1 == min(inside.0 + 3, 19))
        #expect(nice() == before, "the test's own thread is untouched")
    }

    @Sendable static func nice() -> Int32 {
        errno = 0
        return getpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(syscallTid()))
    }

    private static func syscallTid() -> Int32 {
        typealias Fn = @convention(c) () -> Int32
        let fn = unsafeBitCast(dlsym(dlopen(nil, RTLD_NOW), "gettid")!, to: Fn.self)
        return fn()
    }
}
