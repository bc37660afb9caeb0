import Foundation

/// Watches an inbox by listing it every `interval` seconds and comparing (size, mtime, inode).
///
/// For network and FUSE filesystems where inotify sees nothing. A value type: ``poll()`` is the
/// whole state machine, so tests drive it directly; ``events()`` runs it on a cancellable task.
public struct PollingWatcher: Sendable {
    public let directory: String
    public let interval: Double
    private var known: [String: FileFacts.Signature]

    /// Takes the baseline listing: files already present are not reported (the caller's startup scan takes them).
    public init(directory: String, interval: Double) throws(PickupError) {
        self.directory = directory
        self.interval = max(interval, 0.01)
        self.known = try InboxScan.present(in: directory).mapValues(\.signature)
    }

    /// One listing compared with the last: new files `.created`, changed `.modified`, vanished `.removed`;
    /// `.inboxGone` when the folder itself has disappeared.
    public mutating func poll() throws(PickupError) -> [WatchEvent] {
        let now: [String: FileFacts]
        do {
            now = try InboxScan.present(in: directory)
        } catch {
            if case let .listFolder(_, e) = error, e == ENOENT || e == ENOTDIR {
                known = [:]
                return [WatchEvent(name: "", kind: .inboxGone)]
            }
            throw error
        }
        var events: [WatchEvent] = []
        for (name, facts) in now.sorted(by: { $0.key < $1.key }) {
            switch known[name] {
            case nil: events.append(WatchEvent(name: name, kind: .created))
            case let old? where old != facts.signature: events.append(WatchEvent(name: name, kind: .modified))
            default: break
            }
        }
        for name in known.keys.sorted() where now[name] == nil {
            events.append(WatchEvent(name: name, kind: .removed))
        }
        known = now.mapValues(\.signature)
        return events
    }

    /// Polls on a task until the consumer stops iterating (the task is then cancelled, mid-sleep).
    /// A listing error ends the stream after being reported as `.inboxGone`.
    public func events() -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self)
        let start = self
        let task = Task {
            var watcher = start
            while !Task.isCancelled {
                do {
                    for event in try watcher.poll() { continuation.yield(event) }
                } catch {
                    continuation.yield(WatchEvent(name: "", kind: .inboxGone))
                    break
                }
                try? await Task.sleep(nanoseconds: UInt64(watcher.interval * 1_000_000_000))
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}
