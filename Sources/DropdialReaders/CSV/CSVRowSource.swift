/// Delimited text (`.csv`, `.tsv`, `.txt`) as a stream of records (SPEC §4): encoding and delimiter
/// are decided up front, then records are tokenized one `nextRow()` at a time in constant memory.
public final class CSVRowSource: RowSource {
    public let format: FileFormat = .csv
    public var sheetName: String? { nil }

    /// Read size of the parse; big enough to amortise syscalls, small enough to stay in cache.
    static let defaultChunkSize = 512 * 1024

    /// The encoding that was detected (for `inspect` and tests).
    let encoding: TextEncoding
    /// The field delimiter in use.
    let delimiter: UInt8
    private var tokenizer: CSVTokenizer
    /// The error that ended the read, if any.
    private var failure: ReaderError?

    /// Opens `path`, decides encoding (whole-file pass) and delimiter (first records), ready for `nextRow()`.
    public convenience init(path: String, limits: ReaderLimits) throws(ReaderError) {
        try self.init(path: path, limits: limits, chunkSize: Self.defaultChunkSize)
    }

    /// `chunkSize` is the raw read size; tests make it tiny to push every construct across a boundary.
    init(path: String, limits: ReaderLimits, chunkSize: Int) throws(ReaderError) {
        let chunkSize = max(chunkSize, 1)
        let file = try FileByteReader(path: path)
        if file.size > limits.maxFileBytes {
            throw .tooLarge(bytes: file.size, limit: limits.maxFileBytes)
        }
        let encoding = try TextEncoding.detect(file: file, limits: limits, chunkSize: chunkSize)
        let stream = try DecodedByteStream(file: file, encoding: encoding, chunkSize: chunkSize)

        // Delimiter from a sample of the decoded text, then back to the start for the real parse.
        var sample: [UInt8] = []
        var complete = false
        while sample.count < DelimiterDetector.sampleBytes {
            let piece = try stream.nextChunk()
            if piece.isEmpty {
                complete = true
                break
            }
            sample.append(contentsOf: piece)
        }
        let preferred = Self.isTSV(path) || encoding.isUTF16 ? ASCII.tab : ASCII.comma
        let choice = DelimiterDetector.choose(sample: sample, complete: complete, preferred: preferred)
        try stream.rewind()

        self.encoding = encoding
        self.delimiter = choice.delimiter
        self.tokenizer = CSVTokenizer(
            stream: stream, delimiter: choice.delimiter, maxCellBytes: max(limits.maxCellBytes, 0))
        try tokenizer.skip(choice.skipBytes)
    }

    /// The next record; after an error every later call throws it again, so no caller reads on past it.
    public func nextRow() throws(ReaderError) -> SourceRow? {
        if let failure { throw failure }
        do throws(ReaderError) {
            return try tokenizer.nextRow()
        } catch {
            failure = error
            throw error
        }
    }

    private static func isTSV(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".tsv")
    }
}
