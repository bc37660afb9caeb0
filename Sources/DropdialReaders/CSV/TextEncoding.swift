#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The character encodings dropdial accepts for delimited text (SPEC §4), and how many BOM bytes to skip.
enum TextEncoding: Equatable, Sendable {
    case utf8(bomLength: Int)
    case utf16LittleEndian
    case utf16BigEndian
    case windows1252

    /// Bytes at the start of the file that are a byte-order mark, not text.
    var bomLength: Int {
        switch self {
        case .utf8(let length): length
        case .utf16LittleEndian, .utf16BigEndian: 2
        case .windows1252: 0
        }
    }

    var isUTF16: Bool {
        switch self {
        case .utf16LittleEndian, .utf16BigEndian: true
        default: false
        }
    }

    /// Decides the encoding from the BOM, else from one streaming pass over the whole file: valid UTF-8
    /// means UTF-8, anything else Windows-1252. NUL bytes outside UTF-16 mean the file is binary.
    static func detect(
        file: FileByteReader, limits: ReaderLimits, chunkSize: Int
    ) throws(ReaderError) -> TextEncoding {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: max(chunkSize, 4))
        defer { buffer.deallocate() }

        try file.seek(to: 0)
        let head = try file.readFully(into: buffer, capacity: 4)
        if head >= 2, buffer[0] == 0xFF, buffer[1] == 0xFE { return .utf16LittleEndian }
        if head >= 2, buffer[0] == 0xFE, buffer[1] == 0xFF { return .utf16BigEndian }
        let hasUTF8BOM = head >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF

        // Whole-file pass: "a Windows-1252 byte 100 KB in still makes the file Windows-1252".
        try file.seek(to: 0)
        var validator = UTF8Validator()
        var total: Int64 = 0
        while true {
            let n = try file.read(into: buffer, capacity: chunkSize)
            if n == 0 { break }
            total += Int64(n)
            if total > limits.maxFileBytes {
                throw .tooLarge(bytes: max(total, file.size), limit: limits.maxFileBytes)
            }
            validator.consume(buffer, count: n)
            if validator.sawNUL { throw .corrupt("the file looks binary, not delimited text") }
        }
        if hasUTF8BOM { return .utf8(bomLength: 3) }
        return validator.isCompleteAndValid ? .utf8(bomLength: 0) : .windows1252
    }
}
