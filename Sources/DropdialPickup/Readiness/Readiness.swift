import DropdialConfig

/// Decides when a file in an inbox is complete enough to claim (the "settle" rules of SPEC §3).
///
/// A pure value type driven by events and a caller-supplied monotonic time in seconds
/// (e.g. `ContinuousClock` since start), with file facts supplied by a probe: no sleeps and no
/// clock inside, so tests run on virtual time.
///
/// Rules:
/// - moved in: ready at once;
/// - linked in (IN_CREATE of a file that already has content, OpenSSH's link()+unlink()): ready
///   after a short grace (`linkGrace`, 0.2 s or the settle time if shorter) without any modify
///   event, because a writer that creates and writes quickly (`cp`) can also have content by the
///   time the create event is read; its modify events then turn the file into "written in place";
/// - written in place (created, modified, closed after write) or polled: ready once nothing
///   changed for `settleSeconds` — each event and each size/mtime/inode change seen by the probe
///   restarts the timer (a renamed file that is then modified falls back to settling);
/// - found by a scan (startup, after an overflow): treated as written in place: its facts must stay
///   the same for one settle period from when it was first seen, because a writer may still be
///   busy with it while the daemon was down;
/// - `.xlsx` without a zip end-of-central-directory record: still being written, so it waits, and
///   is handed over (reason `.zipWaitCapReached`) only after it has stayed unchanged and
///   incomplete for `zipWaitCap` seconds (default max(60 s, 10 × settle));
/// - written to (IN_MODIFY) and not yet closed (IN_CLOSE_WRITE): a writer still has it open, so it
///   is not taken however long it pauses; only after `openWriteCap` seconds without any event
///   (a writer that truncated by path, or events lost) does the settle rule alone decide again;
/// - for a file about to be handed over, `writerHolds` asks whether some process has it open for
///   writing (``WriteProbe``: files found by a scan, whose events were never seen): it waits the same way;
/// - a file that vanished is forgotten; a non-regular entry is handed over at once for the claim to refuse.
public struct Readiness: Sendable {
    public let settleSeconds: Double
    public let zipWaitCap: Double
    public let linkGrace: Double
    /// How long a file written to but never closed waits before the settle rule alone decides.
    public let openWriteCap: Double

    enum Mode: Sendable, Hashable { case complete, settle }

    struct Entry: Sendable, Hashable {
        var mode: Mode
        /// Seconds without change needed before hand-over.
        var quietNeeded: Double
        /// When the file last changed (event time, or probe time when the probe saw a change).
        var lastChange: Double
        /// Facts at the last probe; nil until first probed.
        var signature: FileFacts.Signature?
        var waitingForZip = false
        /// Written to since its last close-after-write: a writer has it open.
        var openForWrite = false
    }

    private var entries: [String: Entry] = [:]

    public init(settleSeconds: Double, zipWaitCap: Double? = nil) {
        self.settleSeconds = max(settleSeconds, 0)
        self.zipWaitCap = zipWaitCap ?? max(60, 10 * self.settleSeconds)
        self.linkGrace = min(0.2, self.settleSeconds)
        self.openWriteCap = max(600, 60 * self.settleSeconds)
    }

    /// Readiness with the inbox's settle time.
    public init(inbox: InboxConfig) {
        self.init(settleSeconds: inbox.settleSeconds)
    }

    /// Names still being watched for readiness, sorted.
    public var pending: [String] { entries.keys.sorted() }

    /// Feeds one watcher event observed at `now`. `.overflow` and `.inboxGone` change nothing:
    /// the caller rescans and calls ``noticeExisting(_:facts:at:)``.
    public mutating func observe(_ event: WatchEvent, at now: Double) {
        switch event.kind {
        case .movedIn:
            entries[event.name] = Entry(mode: .complete, quietNeeded: 0, lastChange: now, signature: nil)
        case .linkedIn:
            entries[event.name] = Entry(mode: .complete, quietNeeded: linkGrace, lastChange: now, signature: nil)
        case .created, .modified, .closedAfterWrite, .written:
            let old = entries[event.name]
            var entry = Entry(mode: .settle, quietNeeded: settleSeconds, lastChange: now, signature: old?.signature)
            switch event.kind {
            case .written: entry.openForWrite = true
            case .closedAfterWrite: entry.openForWrite = false
            default: entry.openForWrite = old?.openForWrite ?? false
            }
            entries[event.name] = entry
        case .removed:
            entries[event.name] = nil
        case .overflow, .inboxGone:
            break
        }
    }

    /// Registers a file found by a scan; a name already tracked keeps its state.
    public mutating func noticeExisting(_ name: String, facts: FileFacts?, at now: Double) {
        guard entries[name] == nil else { return }
        entries[name] = Entry(mode: .settle, quietNeeded: settleSeconds, lastChange: now, signature: facts?.signature)
    }

    /// Stops tracking a name (e.g. after a claim attempt).
    public mutating func forget(_ name: String) {
        entries[name] = nil
    }

    /// Names ready at `now`, in name order; they stop being tracked. `probe` returns the current
    /// facts of a name (``FileFacts/read(directory:name:)`` in production), nil when it is gone.
    ///
    /// `writerHolds` asks whether some process has a name open for writing (``WriteProbe`` in
    /// production). It is asked only of a file that would otherwise be handed over now, so the
    /// kernel is not asked on every event of a busy upload.
    public mutating func due(at now: Double, probe: (String) -> FileFacts?,
                             writerHolds: (String) -> Bool = { _ in false }) -> [ReadyFile] {
        var ready: [ReadyFile] = []
        for name in entries.keys.sorted() {
            guard var entry = entries[name] else { continue }
            guard let facts = probe(name) else {
                entries[name] = nil
                continue
            }
            if facts.kind != .regular {
                entries[name] = nil
                ready.append(ReadyFile(name: name, reason: .notRegular))
                continue
            }
            if let old = entry.signature, old != facts.signature {
                entry.mode = .settle
                entry.quietNeeded = settleSeconds
                entry.lastChange = now
            }
            entry.signature = facts.signature
            let quiet = now - entry.lastChange
            var reason: ReadyFile.Reason? = nil
            // A writer holding the file open (known from its events, or asked of the kernel for a
            // file found by a scan) keeps it, however long it pauses; the cap ends a wait on a lost close.
            if quiet < entry.quietNeeded || (quiet < openWriteCap && (entry.openForWrite || writerHolds(name))) {
                reason = nil
            } else if PickupNames.isXLSX(name) && facts.zipComplete == false {
                entry.waitingForZip = true
                reason = quiet >= zipWaitCap ? .zipWaitCapReached : nil
            } else {
                reason = entry.mode == .complete ? .arrivedComplete : .settled
            }
            if let reason {
                entries[name] = nil
                ready.append(ReadyFile(name: name, reason: reason))
            } else {
                entries[name] = entry
            }
        }
        return ready
    }

    /// When ``due(at:probe:)`` should next be called, or nil when nothing is tracked. A waiting
    /// `.xlsx` is re-checked every settle period (at least every second) until its cap.
    public func nextCheck(after now: Double) -> Double? {
        entries.values.map { entry -> Double in
            let settled = entry.lastChange + (entry.openForWrite ? openWriteCap : entry.quietNeeded)
            if settled > now || !entry.waitingForZip { return max(settled, now) }
            return min(entry.lastChange + zipWaitCap, now + max(settleSeconds, 1))
        }.min()
    }
}
