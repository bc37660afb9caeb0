/// The file's text as a sequence of UTF-8 chunks, BOM skipped, whatever the source encoding.
/// One fixed-size buffer is reused for every chunk, so memory does not grow with the file.
final class DecodedByteStream {
    let file: FileByteReader
    let encoding: TextEncoding
    private let chunkSize: Int
    /// Raw bytes as read, for encodings that need converting.
    private let raw: UnsafeMutablePointer<UInt8>
    /// UTF-8 handed out by `nextChunk`.
    private let output: UnsafeMutablePointer<UInt8>
    private var utf16: UTF16Decoder
    private var finished = false

    init(file: FileByteReader, encoding: TextEncoding, chunkSize: Int) throws(ReaderError) {
        self.file = file
        self.encoding = encoding
        self.chunkSize = max(chunkSize, 1)
        let outputCapacity: Int
        switch encoding {
        case .utf8: outputCapacity = self.chunkSize
        case .windows1252: outputCapacity = self.chunkSize * 3
        case .utf16LittleEndian, .utf16BigEndian:
            outputCapacity = UTF16Decoder.outputCapacity(forInput: self.chunkSize)
        }
        self.raw = .allocate(capacity: self.chunkSize)
        self.output = .allocate(capacity: outputCapacity)
        self.utf16 = UTF16Decoder(bigEndian: encoding == .utf16BigEndian)
        try rewind()
    }

    deinit {
        raw.deallocate()
        output.deallocate()
    }

    /// Starts again from the first byte after the BOM.
    func rewind() throws(ReaderError) {
        try file.seek(to: Int64(encoding.bomLength))
        utf16 = UTF16Decoder(bigEndian: encoding == .utf16BigEndian)
        finished = false
    }

    /// The next piece of UTF-8 text, valid until the next call; empty only at end of file.
    func nextChunk() throws(ReaderError) -> UnsafeBufferPointer<UInt8> {
        if finished { return UnsafeBufferPointer(start: output, count: 0) }
        while true {
            switch encoding {
            case .utf8:
                let n = try file.read(into: output, capacity: chunkSize)
                if n == 0 { finished = true }
                return UnsafeBufferPointer(start: output, count: n)
            case .windows1252:
                let n = try file.read(into: raw, capacity: chunkSize)
                if n == 0 { finished = true }
                let written = Windows1252Decoder.decode(raw, count: n, into: output)
                return UnsafeBufferPointer(start: output, count: written)
            case .utf16LittleEndian, .utf16BigEndian:
                let n = try file.read(into: raw, capacity: chunkSize)
                if n == 0 {
                    finished = true
                    return UnsafeBufferPointer(start: output, count: utf16.finish(into: output))
                }
                let written = utf16.decode(raw, count: n, into: output)
                // A lone byte or a high surrogate yields nothing yet: read on rather than signal EOF.
                if written > 0 { return UnsafeBufferPointer(start: output, count: written) }
            }
        }
    }
}
