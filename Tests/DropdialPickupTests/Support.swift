import DropdialTestKit
@testable import DropdialPickup
import Foundation
import Glibc

/// A fresh temporary folder, removed when the test's value is released.
final class TempDir: @unchecked Sendable {
    let path: String

    init() {
        path = try! Scratch.folder("dropdial-pickup").path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }

    /// Writes in place (open, write, close), the way a plain writer would; no temp file + rename.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        put(name, Array(text.utf8))
    }

    @discardableResult
    func put(_ name: String, _ bytes: [UInt8]) -> String {
        let p = file(name)
        let fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0, "cannot create \(p)")
        let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        precondition(n == bytes.count, "short write to \(p)")
        close(fd)
        return p
    }

    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: file(name)) }

    func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    func list(_ sub: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: sub.isEmpty ? path : file(sub))) ?? []).sorted()
    }
}

/// Collects inotify events until `done` holds or `timeout` passes, then drains briefly for stragglers.
func collect(_ watcher: InotifyWatcher, timeout: Double = 3,
             until done: ([WatchEvent]) -> Bool) throws -> [WatchEvent] {
    var events: [WatchEvent] = []
    let deadline = Date().addingTimeInterval(timeout)
    while !done(events), Date() < deadline {
        guard let batch = try watcher.next(timeout: 0.1) else { break }
        events += batch
    }
    if let more = try watcher.next(timeout: 0.05) { events += more }
    return events
}

/// Facts for virtual-time readiness tests.
func facts(size: Int64, mtime: Int64 = 0, inode: UInt64 = 1, zip: Bool? = nil,
           kind: FileFacts.Kind = .regular) -> FileFacts {
    FileFacts(kind: kind, signature: .init(size: size, modifiedNanos: mtime, inode: inode), zipComplete: zip)
}

/// A minimal end-of-central-directory record with a comment.
func eocd(comment: [UInt8] = []) -> [UInt8] {
    var r: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 16)
    r += [UInt8(comment.count & 0xFF), UInt8(comment.count >> 8)]
    return r + comment
}

/// A value shared with a helper thread in a test.
final class LockedBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func set(_ v: T) { lock.lock(); value = v; lock.unlock() }
    func get() -> T { lock.lock(); defer { lock.unlock() }; return value }
}
