import Foundation

/// Which inboxes are being watched right now: the inbox services report here, `/readyz` reads it.
public final class ServiceHealth: @unchecked Sendable {
    private let lock = NSLock()
    private var watching: Set<String> = []
    public let inboxes: [String]

    public init(inboxes: [String]) { self.inboxes = inboxes }

    public func watching(_ inbox: String, _ on: Bool) {
        lock.withLock { if on { watching.insert(inbox) } else { watching.remove(inbox) } }
    }

    /// The configured inboxes not watched now, in config order.
    public var unwatched: [String] { lock.withLock { inboxes.filter { !watching.contains($0) } } }
}
