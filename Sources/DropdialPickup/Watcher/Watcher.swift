import DropdialConfig

/// The watcher an inbox gets: inotify, or polling on network/FUSE filesystems or when `poll = true`.
///
/// An enum rather than a protocol: there are exactly two mechanisms and callers only need `events()`.
public enum Watcher: Sendable {
    case inotify(InotifyWatcher)
    case polling(PollingWatcher)

    /// Polling interval for a settle time: half of it, kept between 0.25 s and 2 s.
    public static func pollInterval(settleSeconds: Double) -> Double {
        min(max(settleSeconds / 2, 0.25), 2)
    }

    /// Starts watching an inbox folder (which must exist). Start it before the startup scan so
    /// nothing dropped in between is missed; a name seen twice is harmless to ``Readiness``.
    public static func start(inbox: InboxConfig) throws(PickupError) -> Watcher {
        try start(directory: inbox.path, forcePoll: inbox.poll,
                  pollInterval: pollInterval(settleSeconds: inbox.settleSeconds))
    }

    public static func start(directory: String, forcePoll: Bool, pollInterval: Double) throws(PickupError) -> Watcher {
        switch try WatchMethod.choose(path: directory, forcePoll: forcePoll) {
        case .inotify: return .inotify(try InotifyWatcher(directory: directory))
        case .poll: return .polling(try PollingWatcher(directory: directory, interval: pollInterval))
        }
    }

    /// The event stream; stop iterating (or cancel the task) to stop watching.
    public func events() -> AsyncStream<WatchEvent> {
        switch self {
        case .inotify(let w): return w.events()
        case .polling(let w): return w.events()
        }
    }
}
