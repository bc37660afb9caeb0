import DropdialStore
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the search index of `dropdial batch --search` caught up with new calls, off the import's
/// hot path: every second it indexes what was added, 5,000 calls per transaction, on its own
/// thread, niced (tokenizing a million calls takes tens of seconds of CPU).
struct SearchIndexService: Service {
    let store: Store
    let logger: Logger
    /// How much nicer the indexing thread runs than the daemon.
    static let nice: Int32 = 10

    func run() async throws {
        let stop = StopFlag()
        let queue = DispatchQueue(label: "dropdial.search-index")
        let (store, logger) = (self.store, self.logger)
        await withGracefulShutdownHandler {
            while !stop.isSet && !Task.isCancelled {
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    queue.async {
                        do {
                            // Nicer than the daemon, as the import is: after a big import this runs for
                            // tens of seconds, and requests served meanwhile come first.
                            let n = try NicerThread.run(nicer: Self.nice) { () throws -> Int in
                                try store.indexForSearch(chunk: 5000, shouldStop: { stop.isSet })
                            }
                            if n > 0 { logger.info("search index caught up", metadata: ["calls": "\(n)"]) }
                        } catch {
                            // Busy behind a long import: the next round picks up where this one stopped.
                            logger.debug("search index: \(error)")
                        }
                        done.resume()
                    }
                }
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        } onGracefulShutdown: {
            stop.set()
        }
    }
}
