import DropdialConfig
import DropdialImport
import DropdialStore
import Foundation
import Logging
import ServiceLifecycle

/// Keeps the do-not-call files named in `[dnc] files` loaded: every `check_seconds` a changed
/// file (size, mtime or inode) is read again and replaces what it listed, in one transaction.
struct DNCFileService: Service {
    let config: DNCConfig
    let region: String
    let store: any StoreEngine
    let logger: Logger

    func run() async throws {
        let (config, region, store, logger) = (self.config, self.region, self.store, self.logger)
        // Shutdown cancels the sleep; that is a clean stop, not a failure of the group.
        try? await cancelWhenGracefulShutdown {
            var last: [String: DNCFile.SyncEvent] = [:]
            while !Task.isCancelled {
                try await Task.sleep(nanoseconds: UInt64(config.checkSeconds * 1e9))
                Self.sync(config, region: region, store: store, logger: logger, last: &last)
            }
        }
    }

    /// One sync, logged; a missing or unreadable file is logged once until its state changes.
    static func sync(_ config: DNCConfig, region: String, store: any StoreEngine, logger: Logger,
                     last: inout [String: DNCFile.SyncEvent]) {
        let events: [DNCFile.SyncEvent]
        do {
            events = try DNCFile.sync(config, region: region, store: store)
        } catch {
            logger.error("do-not-call files: \(error)")
            return
        }
        for event in events {
            switch event {
            case .loaded(let path, let numbers, let invalid):
                last[path] = nil
                logger.info("do-not-call file loaded", metadata: ["file": "\(path)", "numbers": "\(numbers)", "invalid": "\(invalid)"])
            case .dropped(let path):
                logger.info("do-not-call file no longer configured; its numbers are unlisted", metadata: ["file": "\(path)"])
            case .missing(let path), .failed(let path, _):
                guard last[path] != event else { continue }
                last[path] = event
                logger.warning("do-not-call file not loaded; its last loaded numbers stay listed",
                               metadata: ["file": "\(path)", "reason": "\(event)"])
            }
        }
    }
}
