import DropdialBase
import DropdialReaders
import DropdialImport
import Foundation

/// Runs an import on both cores: a producer thread reads, validates and builds the report in file
/// order (so errors, the invalid-row hook and cancellation behave exactly as in a one-thread run)
/// and hands valid calls over in batches through a small bounded queue; the calling thread — the
/// one inside the database's write transaction — inserts them. Duplicates within the file are found
/// by the insert (the batch's unique index) in file order, so the first occurrence wins and no
/// dedupe set grows with the file.
enum ConcurrentImport {
    /// Calls handed over at a time, and batches in flight: bounds memory to a few MB.
    static let batchSize = 2048
    static let queueDepth = 4
    /// A batch is handed over at this many packed bytes even when it has fewer calls.
    static let batchBytes = 4 << 20
    /// The reading thread runs this much nicer than the daemon, so HTTP requests served during a
    /// big import get the CPU first (batch-details p99 during a 1M-row import, bench/http.sh);
    /// on an otherwise idle machine it changes nothing.
    static let readerNice: Int32 = 10

    /// Reads `source` through `pipeline` into `report`, inserting the valid calls in order with
    /// `insert`, a batch at a time; it returns each duplicate's index in the batch and the row
    /// number of the call already holding its number. `finish`, called once after the last batch,
    /// returns the duplicates an engine finds only at the end.
    static func run(_ pipeline: RowPipeline, _ source: any RowSource, report: inout ImportReport,
                    insert: (PackedCalls) throws -> [(index: Int, firstRow: Int)],
                    finish: () throws -> LateDuplicates = { LateDuplicates() }) throws {
        var pipeline = pipeline
        pipeline.sinkDedupes = true
        let handoff = BoundedQueue<PackedCalls>(depth: queueDepth)
        let job = ProducerJob(pipeline: pipeline, source: source, report: report, handoff: handoff)
        let thread = Thread { job.run() }
        thread.stackSize = 8 << 20
        thread.start()

        var duplicates: [ImportReport.DuplicateRow] = []
        var duplicateCount = 0
        do {
            while let batch = try handoff.take() {
                for (index, first) in try insert(batch) {
                    duplicateCount += 1
                    if duplicates.count < ImportReport.listLimit {
                        duplicates.append(.init(row: batch.rowNumbers[index], phoneNumber: batch.phoneNumber(at: index),
                                                firstRow: first))
                    }
                }
                handoff.giveBack(batch)
            }
            let late = try finish()
            duplicateCount += late.count
            if !late.rows.isEmpty {
                duplicates = Array((duplicates + late.rows).sorted { $0.row < $1.row }.prefix(ImportReport.listLimit))
            }
        } catch {
            handoff.abort()
            handoff.waitUntilFinished()
            throw error
        }
        report = job.report
        report.counts.imported -= duplicateCount
        report.counts.duplicates += duplicateCount
        report.duplicateRows = duplicates
    }

    /// The producer's state, owned by the producer thread until `Handoff.finish`.
    private final class ProducerJob: @unchecked Sendable {
        let pipeline: RowPipeline
        let source: any RowSource
        var report: ImportReport
        let handoff: BoundedQueue<PackedCalls>

        init(pipeline: RowPipeline, source: any RowSource, report: ImportReport, handoff: BoundedQueue<PackedCalls>) {
            self.pipeline = pipeline
            self.source = source
            self.report = report
            self.handoff = handoff
        }

        func run() {
            ThreadName.set("dd-import-read")
            ThreadNice.lower(by: ConcurrentImport.readerNice)
            var batch = PackedCalls(capacity: ConcurrentImport.batchSize)
            do {
                try pipeline.run(source, report: &report) { call in
                    batch.append(call)
                    if batch.count == ConcurrentImport.batchSize || batch.byteCount >= ConcurrentImport.batchBytes {
                        try handoff.put(batch)
                        batch = PackedCalls(capacity: ConcurrentImport.batchSize)
                    }
                }
                if !batch.isEmpty { try handoff.put(batch) }
                handoff.finish(nil)
            } catch {
                handoff.finish(error)
            }
        }
    }
}
