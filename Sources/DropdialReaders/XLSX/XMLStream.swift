internal import CLibXML2
#if canImport(Glibc)
import Glibc
#endif

/// libxml2's global state is initialised once, before the first reader exists.
let libxml2Ready: Void = { xmlInitParser() }()

/// The node kinds the XLSX parts use (xmlReaderTypes, as Int32 for cheap comparisons).
enum XMLNode {
    static let end: Int32 = 0
    static let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    static let text = Int32(XML_READER_TYPE_TEXT.rawValue)
    static let cdata = Int32(XML_READER_TYPE_CDATA.rawValue)
    static let whitespace = Int32(XML_READER_TYPE_WHITESPACE.rawValue)
    static let significantWhitespace = Int32(XML_READER_TYPE_SIGNIFICANT_WHITESPACE.rawValue)
    static let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
    static let documentType = Int32(XML_READER_TYPE_DOCUMENT_TYPE.rawValue)

    /// Character data of any flavour (text, CDATA, whitespace).
    @inline(__always)
    static func isText(_ type: Int32) -> Bool {
        type == text || type == cdata || type == whitespace || type == significantWhitespace
    }
}

/// The first serious error libxml2 reported for one reader, captured instead of printed.
final class XMLErrorSink {
    var message: String?
    var code: Int32 = 0
    var line: Int32 = 0
    var fatal = false
}

/// A forward-only pull parser (libxml2 xmlTextReader) over one zip entry, fed by zip_fread so a
/// part is never inflated whole into memory. Safe by construction: no network, no entity
/// substitution, no DTD loading, and any DOCTYPE is refused (which defeats entity bombs).
/// libxml2 prints nothing; failures surface as `ReaderError`s.
final class XMLStream {
    let partName: String
    private let source: ZipEntryStream
    private let errors = XMLErrorSink()
    private let reader: OpaquePointer

    init(source: ZipEntryStream) throws(ReaderError) {
        _ = libxml2Ready
        self.source = source
        self.partName = source.name
        let options = Int32(bitPattern: XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue
            | XML_PARSE_COMPACT.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let context = Unmanaged.passUnretained(source).toOpaque()
        guard let r = xmlReaderForIO(zipEntryRead, zipEntryClose, context, nil, nil, options) else {
            throw source.failure ?? .corrupt("\(source.name): cannot start the XML parser")
        }
        reader = r
        xmlTextReaderSetStructuredErrorHandler(r, captureXMLError, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit { xmlFreeTextReader(reader) }

    /// Advances to the next node and returns its type, or `XMLNode.end` at the end of the part.
    @inline(__always)
    func next() throws(ReaderError) -> Int32 {
        let rc = xmlTextReaderRead(reader)
        guard rc == 1 else {
            if rc == 0 { return XMLNode.end }
            throw failure()
        }
        let type = xmlTextReaderNodeType(reader)
        if type == XMLNode.documentType { throw .unsafeXML("DOCTYPE is not allowed") }
        return type
    }

    /// The current node's local name (namespace prefix stripped), interned by libxml2.
    @inline(__always)
    var localName: UnsafePointer<UInt8>? { xmlTextReaderConstLocalName(reader) }

    /// True when the current node's local name is `name` (an interned `XMLName`).
    @inline(__always)
    func named(_ name: XMLName) -> Bool {
        guard let p = xmlTextReaderConstLocalName(reader) else { return false }
        return p == name.pointer || strcmp(p, name.pointer) == 0
    }

    @inline(__always)
    var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    @inline(__always)
    var depth: Int32 { xmlTextReaderDepth(reader) }

    /// The current text node's bytes (valid until the next `next()`).
    @inline(__always)
    var value: UnsafeBufferPointer<UInt8> {
        guard let p = xmlTextReaderConstValue(reader) else { return UnsafeBufferPointer(start: nil, count: 0) }
        return UnsafeBufferPointer(start: p, count: strlen(p))
    }

    /// Calls `body(localName, value, namespaceURI)` for each attribute of the current element.
    @inline(__always)
    func forEachAttribute(_ body: (UnsafePointer<UInt8>, UnsafeBufferPointer<UInt8>, UnsafePointer<UInt8>?) throws(ReaderError) -> Void) throws(ReaderError) {
        guard xmlTextReaderMoveToFirstAttribute(reader) == 1 else { return }
        repeat {
            if let name = xmlTextReaderConstLocalName(reader) {
                try body(name, value, xmlTextReaderConstNamespaceUri(reader))
            }
        } while xmlTextReaderMoveToNextAttribute(reader) == 1
        xmlTextReaderMoveToElement(reader)
    }

    /// Interns `name` in this reader's dictionary so element names compare by pointer.
    func intern(_ name: StaticString) -> XMLName {
        let p = name.utf8Start.withMemoryRebound(to: UInt8.self, capacity: name.utf8CodeUnitCount + 1) {
            xmlTextReaderConstString(reader, $0)
        }
        return XMLName(pointer: p ?? name.utf8Start)
    }

    /// The error for a failed read: the zip layer's own failure first, then libxml2's.
    private func failure() -> ReaderError {
        if let failure = source.failure { return failure }
        let message = errors.message ?? "malformed XML"
        if message.contains("huge text") {
            return .cellTooLarge(row: 0, limit: 0)  // the caller fills in row and limit
        }
        if errors.code == Int32(XML_ERR_ENTITY_LOOP.rawValue) || message.contains("amplification") {
            return .unsafeXML("entity expansion in \(partName): \(message)")
        }
        return .corrupt("\(partName) line \(errors.line): \(message)")
    }
}

/// An element or attribute name interned in a reader's dictionary.
struct XMLName {
    let pointer: UnsafePointer<UInt8>
}

extension UnsafeBufferPointer<UInt8> {
    /// Byte-wise equality with an ASCII literal.
    @inline(__always)
    func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        return count == 0 || memcmp(baseAddress!, literal.utf8Start, count) == 0
    }
}

/// libxml2 input callback: pulls inflated bytes from the zip entry.
private let zipEntryRead: xmlInputReadCallback = { context, buffer, length in
    guard let context, let buffer else { return -1 }
    let stream = Unmanaged<ZipEntryStream>.fromOpaque(context).takeUnretainedValue()
    return Int32(stream.read(into: UnsafeMutableRawPointer(buffer), count: Int(length)))
}

/// libxml2 close callback: the entry is closed by `ZipEntryStream`'s owner, not here.
private let zipEntryClose: xmlInputCloseCallback = { _ in 0 }

/// libxml2 structured error handler: remembers the first fatal error (or the first error).
private let captureXMLError: xmlStructuredErrorFunc = { context, error in
    guard let context, let error else { return }
    let sink = Unmanaged<XMLErrorSink>.fromOpaque(context).takeUnretainedValue()
    let isFatal = error.pointee.level == XML_ERR_FATAL
    guard error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
    if sink.message == nil || (isFatal && !sink.fatal) {
        var text = error.pointee.message.map { String(cString: $0) } ?? "XML error \(error.pointee.code)"
        while text.last?.isWhitespace == true { text.removeLast() }
        sink.message = text
        sink.code = error.pointee.code
        sink.line = error.pointee.line
        sink.fatal = isFatal
    }
}
