#if canImport(Glibc)
import Glibc
import Foundation

/// Watches one inbox folder with inotify and turns raw events into ``WatchEvent``s.
///
/// Cancellation is prompt: ``cancel()`` writes to a self-pipe that every wait also polls,
/// so a blocked ``next(timeout:)`` returns nil at once (SIGTERM shutdown does not wait for a timeout).
public final class InotifyWatcher: Sendable {
    public let directory: String
    private let fd: Int32
    private let wakeRead: Int32
    private let wakeWrite: Int32

    static let mask: UInt32 = [IN_CLOSE_WRITE, IN_MOVED_TO, IN_CREATE, IN_MODIFY, IN_ATTRIB, IN_DELETE,
                               IN_MOVED_FROM, IN_DELETE_SELF, IN_MOVE_SELF, IN_ONLYDIR, IN_EXCL_UNLINK]
        .reduce(0) { $0 | UInt32(truncatingIfNeeded: $1) }

    /// Starts watching `directory` (which must exist).
    public init(directory: String) throws(PickupError) {
        self.directory = directory
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw .watch(path: directory, operation: "inotify_init1", errno: errno) }
        guard inotify_add_watch(fd, directory, Self.mask) >= 0 else {
            let e = errno
            close(fd)
            throw .watch(path: directory, operation: "inotify_add_watch", errno: e)
        }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else {
            let e = errno
            close(fd)
            throw .watch(path: directory, operation: "pipe", errno: e)
        }
        for p in pipeFDs {
            _ = fcntl(p, F_SETFD, FD_CLOEXEC)
            _ = fcntl(p, F_SETFL, O_NONBLOCK)
        }
        self.fd = fd
        self.wakeRead = pipeFDs[0]
        self.wakeWrite = pipeFDs[1]
    }

    deinit {
        close(fd)
        close(wakeRead)
        close(wakeWrite)
    }

    /// Makes every current and later ``next(timeout:)`` return nil. Safe from any thread, idempotent.
    public func cancel() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    /// Waits up to `timeout` seconds (negative: forever) for events. Returns `[]` on timeout and
    /// nil once cancelled. One consumer at a time.
    public func next(timeout: Double) throws(PickupError) -> [WatchEvent]? {
        var fds = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
        let ms: Int32 = timeout < 0 ? -1 : Int32(min(timeout * 1000, Double(Int32.max)).rounded(.up))
        let n = poll(&fds, 2, ms)
        if n < 0 {
            if errno == EINTR { return [] }
            throw .watch(path: directory, operation: "poll", errno: errno)
        }
        if fds[1].revents != 0 { return nil }
        if n == 0 { return [] }
        return try drain()
    }

    /// Events on a dedicated thread; ends (and closes nothing early) when the consumer stops
    /// iterating or the task is cancelled, which calls ``cancel()``.
    public func events() -> AsyncStream<WatchEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: WatchEvent.self)
        continuation.onTermination = { _ in self.cancel() }
        let thread = Thread {
            while let batch = try? self.next(timeout: -1) {
                for event in batch { continuation.yield(event) }
            }
            continuation.finish()
        }
        thread.name = "dropdial-inotify"
        thread.start()
        return stream
    }

    private func drain() throws(PickupError) -> [WatchEvent] {
        var out: [WatchEvent] = []
        let size = 64 * 1024
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let n = read(fd, buffer, size)
            if n < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK { return out }
                if errno == EINTR { continue }
                throw .watch(path: directory, operation: "read", errno: errno)
            }
            if n == 0 { return out }
            out += decode(UnsafeRawBufferPointer(start: buffer, count: n))
        }
    }

    /// Decodes a buffer of `struct inotify_event`s (16-byte header, then a NUL-padded name).
    func decode(_ raw: UnsafeRawBufferPointer) -> [WatchEvent] {
        var out: [WatchEvent] = []
        var offset = 0
        while offset + 16 <= raw.count {
            let mask = raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
            let len = Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
            let nameBytes = raw[(offset + 16)..<min(offset + 16 + len, raw.count)].prefix { $0 != 0 }
            offset += 16 + len
            guard let name = String(validating: nameBytes, as: UTF8.self) else {
                // Not UTF-8: a rescan renames it to its escaped form (``InboxScan``), then it is seen as usual.
                if mask & UInt32(truncatingIfNeeded: IN_ISDIR) == 0 { out.append(WatchEvent(name: "", kind: .overflow)) }
                continue
            }
            if let event = translate(mask: mask, name: name) { out.append(event) }
        }
        // A create that is followed by writes in the same batch is a writer at work, not a link()
        // (link()+unlink() produces no modify or close-write on the new name).
        var written = Set<String>()
        for i in out.indices.reversed() {
            switch out[i].kind {
            case .written, .modified, .closedAfterWrite: written.insert(out[i].name)
            case .linkedIn where written.contains(out[i].name): out[i].kind = .created
            case .removed, .movedIn: written.remove(out[i].name)
            default: break
            }
        }
        return out
    }

    private func translate(mask: UInt32, name: String) -> WatchEvent? {
        func has<T: BinaryInteger>(_ flag: T) -> Bool { mask & UInt32(truncatingIfNeeded: flag) != 0 }
        if has(IN_Q_OVERFLOW) { return WatchEvent(name: "", kind: .overflow) }
        if has(IN_DELETE_SELF) || has(IN_MOVE_SELF) || has(IN_IGNORED) { return WatchEvent(name: "", kind: .inboxGone) }
        if has(IN_ISDIR) || name.isEmpty || PickupNames.classify(name) == .ignore { return nil }
        if has(IN_MOVED_TO) { return WatchEvent(name: name, kind: .movedIn) }
        if has(IN_CREATE) {
            let st = FileSystem.lstatInfo(FileSystem.join(directory, name))
            let hasContent = st.map { ($0.st_mode & S_IFMT) == S_IFREG && $0.st_size > 0 } ?? false
            return WatchEvent(name: name, kind: hasContent ? .linkedIn : .created)
        }
        if has(IN_CLOSE_WRITE) { return WatchEvent(name: name, kind: .closedAfterWrite) }
        if has(IN_MODIFY) { return WatchEvent(name: name, kind: .written) }
        if has(IN_ATTRIB) { return WatchEvent(name: name, kind: .modified) }
        if has(IN_DELETE) || has(IN_MOVED_FROM) { return WatchEvent(name: name, kind: .removed) }
        return nil
    }
}
#endif
