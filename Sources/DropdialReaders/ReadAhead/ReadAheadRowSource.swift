import Foundation

/// Reads another `RowSource` ahead on its own thread, in batches, so an expensive reader (XLSX:
/// inflate + XML) runs beside validation and the insert. Rows, their order and the reader's error
/// (after the rows before it) are exactly the wrapped source's. Memory is bounded by `depth`
/// batches of at most `batchSize` rows or about `batchBytes` of cell text (rows with 1 MB cells
/// must not queue by the thousand). Dropping the wrapper stops the thread at its next batch.
public final class ReadAheadRowSource: RowSource {
    public let format: FileFormat
    public let sheetName: String?
    private let queue: BoundedQueue<[SourceRow]>
    private var batch: [SourceRow] = []
    private var index = 0
    private var failure: ReaderError?
    private var done = false

    static let batchBytes = 2 << 20

    public init(_ source: any RowSource, batchSize: Int = 512, depth: Int = 8) {
        format = source.format
        sheetName = source.sheetName
        let queue = BoundedQueue<[SourceRow]>(depth: depth)
        self.queue = queue
        let job = Job(source: source, queue: queue, batchSize: batchSize)
        let thread = Thread { job.run() }
        thread.name = "dropdial-read-ahead"
        thread.stackSize = 8 << 20
        thread.start()
    }

    deinit { queue.abort() }

    public func nextRow() throws(ReaderError) -> SourceRow? {
        if index < batch.count {
            defer { index += 1 }
            return batch[index]
        }
        if let failure { throw failure }
        if done { return nil }
        do {
            guard let next = try queue.take() else {
                done = true
                return nil
            }
            batch = next
            index = 1
            return batch[0]
        } catch let error as ReaderError {
            failure = error
            throw error
        } catch {
            failure = .corrupt("read-ahead failed: \(error)")
            throw failure!
        }
    }

    private final class Job: @unchecked Sendable {
        let source: any RowSource
        let queue: BoundedQueue<[SourceRow]>
        let batchSize: Int

        init(source: any RowSource, queue: BoundedQueue<[SourceRow]>, batchSize: Int) {
            self.source = source
            self.queue = queue
            self.batchSize = batchSize
        }

        func run() {
            var rows: [SourceRow] = []
            rows.reserveCapacity(batchSize)
            var bytes = 0
            do {
                while let row = try source.nextRow() {
                    rows.append(row)
                    for cell in row.cells { bytes += cell.utf8.count }
                    if rows.count == batchSize || bytes >= ReadAheadRowSource.batchBytes {
                        try queue.put(rows)
                        rows.removeAll(keepingCapacity: true)
                        bytes = 0
                    }
                }
                if !rows.isEmpty { try queue.put(rows) }
                queue.finish(nil)
            } catch {
                if !rows.isEmpty, !(error is BoundedQueue<[SourceRow]>.Aborted) { try? queue.put(rows) }
                queue.finish(error)
            }
        }
    }
}
