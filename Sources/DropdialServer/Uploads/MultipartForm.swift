import NIOCore

/// A `multipart/form-data` body read as a stream (SPEC §8): the one `file` part is handed to
/// ``onFileBytes`` as it arrives and never held in memory; every other part is a small text
/// field. ``MultipartScanner`` finds the parts; this type bounds what may be buffered (field
/// values, header lines, the number of parts) and tells a whole body from a truncated one.
final class MultipartForm {
    enum Failure: Error, Equatable {
        case syntax
        case unnamedPart
        case duplicateFile
        case duplicateField(String)
        case fieldTooLarge(String)
        case tooManyParts
        case overheadTooLarge
        case truncated
        /// The file sink refused the bytes (a disk full, an inbox the key may not use): see ``sinkError``.
        case sink
    }

    struct Limits {
        /// The largest value of one text field.
        var fieldBytes = 64 * 1024
        /// Everything that is not the file's content: boundaries, part headers, field values.
        var overheadBytes = 1 << 20
        var parts = 64
    }

    /// The text fields, by name, as received.
    private(set) var fields: [String: String] = [:]
    /// The `file` part's `filename` parameter, once its headers have been read.
    private(set) var fileName: String?
    private(set) var fileBytes: Int64 = 0
    /// True once the `file` part has ended at its boundary.
    private(set) var fileComplete = false
    /// What ``onFileStart`` or ``onFileBytes`` threw.
    private(set) var sinkError: (any Error)?

    /// Called once, when the `file` part's headers are read: the fields seen so far and its name.
    var onFileStart: (_ fieldsSoFar: [String: String], _ fileName: String?) throws -> Void = { _, _ in }
    var onFileBytes: (UnsafeRawBufferPointer) throws -> Void = { _ in }

    private var scanner: MultipartScanner
    private let limits: Limits
    private var partHeaders: [(String, String)] = []
    private enum Part { case none, pending, file, field(String, [UInt8]), skipped }
    private var part = Part.none
    private var parts = 0
    private var fed: Int64 = 0
    private var sawFile = false
    private var failure: Failure?

    /// nil when `contentType` is not `multipart/form-data` with a usable boundary.
    init?(contentType: String, limits: Limits = Limits()) {
        guard let boundary = Self.boundary(contentType) else { return nil }
        self.limits = limits
        scanner = MultipartScanner(boundary: boundary)
    }

    /// Parses the next chunk of the body.
    func feed(_ buffer: ByteBuffer) throws(Failure) {
        guard failure == nil else { throw failure! }
        fed += Int64(buffer.readableBytes)
        do {
            try scanner.feed(buffer) { event in
                switch event {
                case .header(let name, let value):
                    if case .none = part { part = .pending }
                    partHeaders.append((name, value))
                case .contentStart:
                    // A part with no header lines at all has no name either.
                    if case .none = part { part = .pending }
                    begin()
                case .content(let bytes): body(bytes)
                case .partEnd: complete()
                }
                if failure != nil { throw Failure.syntax }
            }
        } catch {
            failure = failure ?? .syntax
        }
        if failure == nil, fed - fileBytes > Int64(limits.overheadBytes) { failure = .overheadTooLarge }
        if let failure { throw failure }
    }

    /// After the last chunk: a part still open, or no close delimiter, means the body was cut short.
    func finish() throws(Failure) {
        if let failure { throw failure }
        guard scanner.isClosed else { throw .truncated }
        switch part {
        case .none: break
        default: throw .truncated
        }
        if sawFile && !fileComplete { throw .truncated }
    }

    private func fail(_ f: Failure) { if failure == nil { failure = f } }

    private func sinkFailed(_ error: any Error) {
        if failure == nil { sinkError = error }
        fail(.sink)
    }

    /// Decides what the part whose headers were just read is, before its first byte.
    private func begin() {
        guard case .pending = part else { return }
        parts += 1
        guard parts <= limits.parts else { return fail(.tooManyParts) }
        let disposition = partHeaders.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
        partHeaders.removeAll()
        let params = ContentDisposition.parameters(disposition)
        guard let name = params["name"], !name.isEmpty else { return fail(.unnamedPart) }
        if name == "file" {
            guard !sawFile else { return fail(.duplicateFile) }
            sawFile = true
            fileName = params["filename*"] ?? params["filename"]
            part = .file
            do { try onFileStart(fields, fileName) } catch { sinkFailed(error) }
        } else {
            guard fields[name] == nil else { return fail(.duplicateField(name)) }
            part = .field(name, [])
        }
    }

    private func body(_ buffer: UnsafeRawBufferPointer) {
        guard failure == nil else { return }
        switch part {
        case .file:
            fileBytes += Int64(buffer.count)
            do { try onFileBytes(buffer) } catch { sinkFailed(error) }
        case .field(let name, var bytes):
            guard bytes.count + buffer.count <= limits.fieldBytes else { return fail(.fieldTooLarge(name)) }
            part = .skipped
            bytes.append(contentsOf: buffer)
            part = .field(name, bytes)
        default: break
        }
    }

    private func complete() {
        guard failure == nil else { return }
        switch part {
        case .file: fileComplete = true
        case .field(let name, let bytes): fields[name] = String(decoding: bytes, as: UTF8.self)
        default: break
        }
        part = .none
    }

    /// The boundary of `multipart/form-data; boundary=…` (RFC 2046: 1 to 70 characters).
    static func boundary(_ contentType: String) -> String? {
        let pieces = contentType.split(separator: ";", maxSplits: 1)
        guard let type = pieces.first, type.trimmingWhitespace().lowercased() == "multipart/form-data",
              pieces.count == 2 else { return nil }
        guard let boundary = ContentDisposition.parameters("x;" + pieces[1])["boundary"],
              (1...70).contains(boundary.utf8.count) else { return nil }
        return boundary
    }
}

/// The parameters of a `Content-Disposition` (or `Content-Type`) header value: `name="file";
/// filename="a.csv"`, quoted strings with `\"` escapes, and RFC 5987 `filename*=UTF-8''…`
/// percent-encoded (returned under `filename*`, decoded). Names are lowercased.
enum ContentDisposition {
    static func parameters(_ value: String) -> [String: String] {
        var out: [String: String] = [:]
        let bytes = Array(value.utf8)
        var i = bytes.firstIndex(of: UInt8(ascii: ";")).map { $0 + 1 } ?? bytes.count
        while i < bytes.count {
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == UInt8(ascii: ";") { i += 1 }
            let nameStart = i
            while i < bytes.count, bytes[i] != UInt8(ascii: "="), bytes[i] != UInt8(ascii: ";") { i += 1 }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self).trimmingWhitespace().lowercased()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { continue }
            i += 1
            var text: [UInt8] = []
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count { i += 1 }
                    text.append(bytes[i])
                    i += 1
                }
                i += 1
            } else {
                while i < bytes.count, bytes[i] != UInt8(ascii: ";") { text.append(bytes[i]); i += 1 }
                while text.last == 0x20 || text.last == 0x09 { text.removeLast() }
            }
            guard !name.isEmpty, out[name] == nil else { continue }
            out[name] = name.hasSuffix("*") ? extended(text) : String(decoding: text, as: UTF8.self)
        }
        return out
    }

    /// RFC 5987 `charset'language'percent-encoded`; UTF-8 only (and ASCII, its subset).
    static func extended(_ text: [UInt8]) -> String? {
        let parts = text.split(separator: UInt8(ascii: "'"), maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, ["utf-8", "us-ascii"].contains(String(decoding: parts[0], as: UTF8.self).lowercased())
        else { return nil }
        var out: [UInt8] = []
        var i = parts[2].startIndex
        let encoded = parts[2]
        while i < encoded.endIndex {
            if encoded[i] == UInt8(ascii: "%"), encoded.endIndex - i >= 3,
               let byte = UInt8(String(decoding: encoded[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(byte)
                i += 3
            } else {
                out.append(encoded[i])
                i += 1
            }
        }
        return String(validating: out, as: UTF8.self)
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }
}
