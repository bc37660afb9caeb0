import Glibc
import NIOCore

/// The parts of a `multipart/form-data` body (RFC 2046 §5.1.1, RFC 7578), found as the body
/// streams in: each part's header lines, then its content in as few pieces as the chunks allow,
/// then its end. A part's content is searched for the delimiter `CRLF--boundary` with `memchr`,
/// so a 1M-row CSV is handed over in chunk-sized pieces, not a line at a time; only the last
/// `delimiter - 1` bytes of a chunk wait for the next one (they may begin a delimiter).
///
/// What it does not accept: a delimiter followed by anything but `--` (the close delimiter) or
/// optional spaces and CRLF, a header line without a colon, or a body that ends before the close
/// delimiter (``isClosed`` stays false). The preamble and the epilogue are ignored.
struct MultipartScanner {
    enum Event {
        /// One header line of the part that is starting.
        case header(name: String, value: String)
        /// The part's headers are read; its content follows.
        case contentStart
        /// A piece of the part's content; the pointer is valid only during the call.
        case content(UnsafeRawBufferPointer)
        case partEnd
    }

    struct SyntaxError: Error {}

    private enum State {
        /// Before the first delimiter (the preamble).
        case preamble
        /// Right after a delimiter: `--` closes the body, else padding and CRLF start a part.
        case afterDelimiter
        /// Reading a part's header block, up to the empty line.
        case headers
        case content
        /// After the close delimiter: the epilogue, ignored.
        case closed
    }

    /// `CRLF--boundary`.
    private let delimiter: [UInt8]
    private var state = State.preamble
    /// Bytes received and not yet consumed (a chunk, plus at most a delimiter's worth before it).
    private var pending: ByteBuffer
    private var headerLines: [UInt8] = []

    /// True once the close delimiter `--boundary--` has been read.
    var isClosed: Bool {
        if case .closed = state { return true }
        return false
    }

    init(boundary: String) {
        delimiter = Array("\r\n--\(boundary)".utf8)
        // A delimiter at the very start has no CRLF before it: the body is read as if it had one.
        pending = ByteBufferAllocator().buffer(capacity: 64 * 1024)
        pending.writeBytes([0x0D, 0x0A])
    }

    /// Reads `chunk`, calling `event` for each thing found, in order.
    mutating func feed(_ chunk: ByteBuffer, _ event: (Event) throws -> Void) throws {
        if case .closed = state { return }
        var chunk = chunk
        if pending.readableBytes == 0 {
            pending.clear()
        } else if pending.readerIndex > 64 * 1024 {
            pending.discardReadBytes()
        }
        pending.writeBuffer(&chunk)
        while try step(event) {}
    }

    /// Consumes what it can of `pending`; false when more bytes are needed.
    private mutating func step(_ event: (Event) throws -> Void) throws -> Bool {
        switch state {
        case .closed:
            pending.moveReaderIndex(forwardBy: pending.readableBytes)
            return false
        case .preamble:
            guard let at = find(delimiter) else {
                // Keep only what may begin a delimiter.
                pending.moveReaderIndex(forwardBy: max(0, pending.readableBytes - (delimiter.count - 1)))
                return false
            }
            pending.moveReaderIndex(forwardBy: at + delimiter.count)
            state = .afterDelimiter
            return true
        case .afterDelimiter:
            return try afterDelimiter(event)
        case .headers:
            return try headers(event)
        case .content:
            return try content(event)
        }
    }

    private mutating func afterDelimiter(_ event: (Event) throws -> Void) throws -> Bool {
        let view = pending.readableBytesView
        guard view.count >= 2 else { return false }
        if view.first == UInt8(ascii: "-") {
            guard view[view.startIndex + 1] == UInt8(ascii: "-") else { throw SyntaxError() }
            state = .closed
            return true
        }
        // Transport padding (spaces and tabs), then CRLF.
        var i = view.startIndex
        while i < view.endIndex, view[i] == 0x20 || view[i] == 0x09 { i += 1 }
        guard view.endIndex - i >= 2 else {
            if view.count > 1024 { throw SyntaxError() }
            return false
        }
        guard view[i] == 0x0D, view[i + 1] == 0x0A else { throw SyntaxError() }
        pending.moveReaderIndex(forwardBy: i + 2 - view.startIndex)
        headerLines.removeAll(keepingCapacity: true)
        state = .headers
        return true
    }

    private mutating func headers(_ event: (Event) throws -> Void) throws -> Bool {
        // Each line to its CRLF; an empty line ends the block. A line is buffered until whole
        // (the caller bounds the bytes that are not file content).
        let view = pending.readableBytesView
        guard let lf = view.firstIndex(of: 0x0A) else {
            headerLines += view
            pending.moveReaderIndex(forwardBy: view.count)
            return false
        }
        headerLines += view[view.startIndex..<lf]
        pending.moveReaderIndex(forwardBy: lf + 1 - view.startIndex)
        guard headerLines.last == 0x0D else { throw SyntaxError() }
        headerLines.removeLast()
        if headerLines.isEmpty {
            state = .content
            try event(.contentStart)
            return true
        }
        guard let colon = headerLines.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw SyntaxError() }
        let name = String(decoding: headerLines[..<colon], as: UTF8.self).trimmingWhitespace()
        let value = String(decoding: headerLines[(colon + 1)...], as: UTF8.self).trimmingWhitespace()
        headerLines.removeAll(keepingCapacity: true)
        try event(.header(name: name, value: value))
        return true
    }

    private mutating func content(_ event: (Event) throws -> Void) throws -> Bool {
        if let at = find(delimiter) {
            if at > 0 { try emit(at, event) }
            pending.moveReaderIndex(forwardBy: delimiter.count)
            try event(.partEnd)
            state = .afterDelimiter
            return true
        }
        // Everything but a possible delimiter's beginning is content.
        let safe = pending.readableBytes - (delimiter.count - 1)
        if safe > 0 { try emit(safe, event) }
        return false
    }

    private mutating func emit(_ count: Int, _ event: (Event) throws -> Void) throws {
        try pending.withUnsafeReadableBytes { bytes in
            try event(.content(UnsafeRawBufferPointer(rebasing: bytes[..<count])))
        }
        pending.moveReaderIndex(forwardBy: count)
    }

    /// The offset of `needle` (which starts with CR) in the readable bytes, or nil: `memchr` to
    /// each CR, then `memcmp` (glibc's `memmem` is not in Swift's Glibc module).
    private func find(_ needle: [UInt8]) -> Int? {
        pending.withUnsafeReadableBytes { hay -> Int? in
            guard hay.count >= needle.count, let base = hay.baseAddress else { return nil }
            return needle.withUnsafeBytes { n -> Int? in
                let last = hay.count - n.count
                var from = 0
                while from <= last {
                    guard let cr = memchr(base + from, Int32(n[0]), last - from + 1) else { return nil }
                    let at = base.distance(to: UnsafeRawPointer(cr))
                    if memcmp(base + at, n.baseAddress!, n.count) == 0 { return at }
                    from = at + 1
                }
                return nil
            }
        }
    }
}
