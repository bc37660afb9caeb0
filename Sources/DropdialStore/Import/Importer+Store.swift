import DropdialConfig
import DropdialImport
import DropdialReaders
import Foundation

extension Importer {
    /// Imports `path` into `store`: `prepare`'s checks, the duplicate-content check, then read,
    /// validate and insert in one write transaction, committed only when the file is accepted and
    /// unchanged. `manifestPath` defaults to the `NAME.batch.json` beside the file. Rows whose
    /// number is on `suppression` (default: the store's do-not-call list) are counted `suppressed`.
    /// `claimKey` (the pickup's claimed name) is recorded in the same transaction.
    public func run(path: String, displayName: String? = nil, manifestPath: String? = nil,
                    store: any StoreEngine, now: Date = Date(), claimKey: String? = nil,
                    suppression: SuppressionList? = nil,
                    hooks: ImportHooks = ImportHooks()) throws(ImportCancelled) -> ImportReport {
        var result = report(path: path, displayName: displayName, now: now, dryRun: false)
        let classify = { (error: any Error) in StoreFault.classify(error).map { ($0.rawValue, "\($0) (\(error))") } }
        return try finish(&result, classify: classify) { report in
            guard let file = try prepare(path: path, manifestPath: manifestPath, report: &report) else { return }
            if let earlier = try store.batchImported(inbox: inbox.name, sha256: report.sha256) {
                report.markDuplicate(of: earlier, inbox: inbox.name)
                return
            }
            guard let source = file.open(report: &report) else { return }
            var pipeline = RowPipeline(settings: file.settings, hooks: hooks)
            pipeline.suppression = try suppression ?? SuppressionList(numbers: try store.dncNumbers())
            try commit(file, source: source, pipeline: pipeline, store: store, now: now, claimKey: claimKey,
                       report: &report)
        }
    }

    private func commit(_ file: PreparedFile, source: any RowSource, pipeline: RowPipeline, store: any StoreEngine, now: Date,
                        claimKey: String?, report: inout ImportReport) throws {
        let draft = BatchDraft(
            name: file.settings.batchName ?? URL(fileURLWithPath: report.file).deletingPathExtension().lastPathComponent,
            inbox: inbox.name, settings: file.settings, sourceFile: report.file, sha256: report.sha256, size: file.size,
            format: report.format ?? "", createdAt: now, claimKey: claimKey)
        var inner = report
        let batchId: Int64?
        do {
            batchId = try store.importCalls(draft) { inserter in
                try ConcurrentImport.run(pipeline, source, report: &inner, insert: inserter.insert, finish: inserter.finish)
                guard inner.status == .imported else { return .rollback }
                // Last look before the commit: a file that changed since it was opened is not committed.
                try file.checkUnchanged()
                inner.batchId = inserter.batchId
                inner.finishedAt = Date()
                return .commit(inner.counts, report: String(decoding: try ReportFile.encode(inner), as: UTF8.self))
            }
        } catch let duplicate as DuplicateContent {
            // Another import of the same content committed while this one was reading.
            report.markDuplicate(of: duplicate.batchId, inbox: inbox.name)
            return
        }
        report = inner
        report.batchId = batchId
    }
}
