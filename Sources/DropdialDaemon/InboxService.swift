import DropdialConfig
import DropdialPickup
import DropdialServer
import DropdialStore
import Foundation
import Logging
import ServiceLifecycle

/// One inbox: watch, settle, claim, import and archive its files in arrival order (SPEC §3).
/// Inboxes run as separate services, so they import in parallel.
public struct InboxService: Service {
    let inbox: InboxConfig
    let store: any StoreEngine
    let logger: Logger
    /// Told when the inbox is watched and when it stops being watched (`/readyz`).
    let health: ServiceHealth?
    /// Where this inbox takes HTTP uploads while it is watched.
    let uploads: InboxUploads?
    /// How long a node sharing the inbox's folder may be silent before its claims are taken
    /// over (`[dialer] lease_seconds`, the attempts' lease).
    let leaseSeconds: Double

    public init(inbox: InboxConfig, store: any StoreEngine, logger: Logger, health: ServiceHealth? = nil,
                uploads: InboxUploads? = nil, leaseSeconds: Double = 60) {
        self.leaseSeconds = leaseSeconds
        self.inbox = inbox
        self.store = store
        self.logger = logger
        self.health = health
        self.uploads = uploads
    }

    enum Input: Sendable {
        case event(WatchEvent)
        case tick
    }

    /// Watches the inbox until shutdown. A failure to set it up (its folder gone or unreadable,
    /// inotify limits, a stray entry that cannot be moved aside) is logged and tried again every
    /// 10 s: one inbox never stops the daemon, its other inboxes or the dialer.
    public func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await watch()
                return
            } catch {
                logger.error("cannot watch the inbox; it is tried again in 10 s", metadata: [
                    "inbox": "\(inbox.name)", "path": "\(inbox.path)", "error": "\(error)"])
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(10)) }
            }
        }
    }

    private func watch() async throws {
        if inbox.create {
            try FileManager.default.createDirectory(atPath: inbox.path, withIntermediateDirectories: true)
        }
        let secured = try SecuredInbox(inbox: inbox.path)
        let stop = StopFlag()
        let processor = FileProcessor(inbox: inbox, secured: secured, store: store, logger: logger, stop: stop,
                                      leaseSeconds: leaseSeconds)
        // Imports block for seconds; they run on the inbox's own queue, not the cooperative pool.
        let queue = DispatchQueue(label: "dropdial.inbox.\(inbox.name)")
        let onQueue = InboxQueue(queue: queue)
        await onQueue { processor.recover() }

        let watcher = try Watcher.start(inbox: inbox)
        let clock = ContinuousClock()
        let origin = clock.now
        let seconds: @Sendable () -> Double = {
            let d = clock.now - origin
            return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        var readiness = Readiness(inbox: inbox)
        // Names the scan itself renamed (not UTF-8): their IN_MOVED_TO is ours, not an arrival.
        var renamedByUs = Set<String>()
        let logger = self.logger
        func rescan() {
            let present = (try? InboxScan.present(in: inbox.path) { old, new in
                renamedByUs.insert(new)
                logger.warning("renamed a file whose name is not UTF-8", metadata: [
                    "inbox": "\(inbox.name)", "from": "\(PickupNames.printable(old))", "to": "\(PickupNames.printable(new))"])
            }) ?? [:]
            for (name, facts) in present { readiness.noticeExisting(name, facts: facts, at: seconds()) }
        }
        rescan()
        logger.info("watching", metadata: ["inbox": "\(inbox.name)", "path": "\(inbox.path)",
                                           "method": "\(watcher.methodName)"])
        health?.watching(inbox.name, true)
        defer { health?.watching(inbox.name, false) }
        uploads?.open(inbox.name, .init(folders: secured.folders) { staged, clientName, manifest in
            await onQueue { processor.takeUpload(staged, clientName: clientName, manifest: manifest) }
        })
        defer { uploads?.close(inbox.name) }

        let (inputs, feed) = AsyncStream.makeStream(of: Input.self)
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in watcher.events() { feed.yield(.event(event)) }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .milliseconds(100))
                        feed.yield(.tick)
                    }
                }
                for await input in inputs {
                    if stop.isSet { break }
                    if case .event(let event) = input {
                        switch event.kind {
                        case .overflow, .inboxGone: rescan()
                        case .movedIn where renamedByUs.remove(event.name) != nil:
                            readiness.observe(WatchEvent(name: event.name, kind: .modified), at: seconds())
                        default: readiness.observe(event, at: seconds())
                        }
                    }
                    if case .tick = input {
                        await onQueue {
                            processor.retryHeldBack()
                            processor.sweepIdleUploads()
                        }
                    }
                    let due = readiness.due(at: seconds(), probe: { FileFacts.read(directory: inbox.path, name: $0) },
                                            writerHolds: { WriteProbe.isOpenForWriting(inbox.path + "/" + $0) == true })
                    for ready in due where !stop.isSet {
                        await onQueue { processor.take(ready.name) }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            stop.set()
            feed.finish()
        }
        logger.info("stopped", metadata: ["inbox": "\(inbox.name)"])
    }
}

/// Runs work on an inbox's own queue, one item at a time, and waits for it.
struct InboxQueue: Sendable {
    let queue: DispatchQueue

    func callAsFunction<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (done: CheckedContinuation<T, Never>) in
            queue.async { done.resume(returning: work()) }
        }
    }
}

extension Watcher {
    var methodName: String {
        switch self {
        case .inotify: "inotify"
        case .polling: "polling"
        }
    }
}
