import DropdialConfig
import DropdialReaders
import DropdialStore
import Foundation

/// Optional hooks the daemon uses: the rejected rows for `NAME.errors.csv`, and a stop check.
public struct ImportHooks: Sendable {
    /// Called with the header row, an invalid row's cells as read, and its issues.
    public var onInvalidRow: (@Sendable ([String], [String], [RowIssue]) -> Void)?
    /// Polled every 1024 rows; returning true rolls the import back (the file stays claimed).
    public var isCancelled: @Sendable () -> Bool
    /// Called every 1024 rows with the current row number (progress lines for large files).
    public var onProgress: (@Sendable (Int) -> Void)?

    public init(onInvalidRow: (@Sendable ([String], [String], [RowIssue]) -> Void)? = nil,
                isCancelled: @escaping @Sendable () -> Bool = { false },
                onProgress: (@Sendable (Int) -> Void)? = nil) {
        self.onInvalidRow = onInvalidRow
        self.isCancelled = isCancelled
        self.onProgress = onProgress
    }
}

/// Thrown out of the transaction when `ImportHooks.isCancelled` turns true.
public struct ImportCancelled: Error {}

/// One file through the whole pipeline a drop uses: checks, manifest, read, validate, commit
/// (one transaction) or dry-run. Used by `import`, `check` and the daemon.
public struct Importer: Sendable {
    public let inbox: InboxConfig

    public init(inbox: InboxConfig) { self.inbox = inbox }

    /// `errorCode` of a report whose file changed during its import (status `failed`, nothing
    /// committed); the daemon keeps such a file claimed and imports it again once it is quiet.
    public static let fileChangedCode = "file_changed"

    /// Imports `path` into `store`, or validates only when `store` is nil (`check`).
    /// `manifestPath` defaults to the `NAME.batch.json` beside the file. Rows whose number is on
    /// `suppression` (default: the store's do-not-call list) are counted `suppressed`, not imported.
    public func run(path: String, displayName: String? = nil, manifestPath: String? = nil,
                    store: Store?, now: Date = Date(), claimKey: String? = nil,
                    suppression: SuppressionList? = nil,
                    hooks: ImportHooks = ImportHooks()) throws(ImportCancelled) -> ImportReport {
        let name = displayName ?? URL(fileURLWithPath: path).lastPathComponent
        var report = ImportReport(file: name, sha256: "", inbox: inbox.name,
                                  policy: inbox.settings.invalidRows.rawValue, startedAt: now)
        report.dryRun = store == nil
        defer { report.finishedAt = Date() }
        do {
            try importFile(path: path, name: name, manifestPath: manifestPath, store: store, report: &report,
                           now: now, claimKey: claimKey, suppression: suppression, hooks: hooks)
        } catch let cancelled as ImportCancelled {
            throw cancelled
        } catch {
            report.status = .failed
            report.batchId = nil
            if let changed = error as? FileChangedDuringImport {
                report.errorCode = Self.fileChangedCode
                report.error = changed.description
            } else if let fault = StoreFault.classify(error) {
                report.errorCode = fault.rawValue
                report.error = "\(fault) (\(error))"
            } else {
                report.errorCode = "internal"
                report.error = "import failed, nothing was committed: \(error)"
            }
        }
        report.finishedAt = Date()
        return report
    }

    private func importFile(path: String, name: String, manifestPath: String?, store: Store?,
                            report: inout ImportReport, now: Date, claimKey: String?, suppression: SuppressionList?,
                            hooks: ImportHooks) throws {
        report.format = FileFormat(fileName: name)?.rawValue
        let before = FileSignature(path: path)
        var size: Int64 = 0
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            report.reject(code: "unreadable", "cannot read the file: \(error.localizedDescription)")
            return
        }
        // Only regular files are opened: a FIFO would block the open, a device never end.
        if let kind = FileDigest.notRegular(path: path) {
            report.reject(code: "unreadable", "\(name) is \(kind), not a regular file; drop the file itself")
            return
        }
        // The size first: a 40 GB sparse file (SFTP can write one) is refused at once, not hashed.
        let limit = inbox.maxFileBytes
        if size > limit {
            report.reject(code: "file_too_large", ReaderError.tooLarge(bytes: size, limit: limit).description)
            return
        }
        do {
            report.sha256 = try FileDigest.sha256(path: path)
        } catch {
            report.reject(code: "unreadable", error.description)
            return
        }
        guard report.format != nil else {
            report.reject(code: "unsupported_type", ReaderError.unsupportedType(name).description)
            return
        }
        if size == 0 {
            report.reject(code: "empty_file", "the file is empty")
            return
        }
        var settings = inbox.settings
        let manifestFile = manifestPath ?? Manifest.path(forDataFile: path)
        do {
            try Manifest.load(path: manifestFile)?.apply(to: &settings)
        } catch {
            report.reject(code: "manifest_invalid", "\(URL(fileURLWithPath: manifestFile).lastPathComponent): \(error)")
            return
        }
        if let store, let earlier = try store.batchImported(inbox: inbox.name, sha256: report.sha256) {
            report.markDuplicate(of: earlier, inbox: inbox.name)
            return
        }
        var limits = ReaderLimits.default
        limits.maxFileBytes = limit
        limits.maxSharedTextBytes = limit
        var source: any RowSource
        do {
            source = try RowReader.open(path: path, limits: limits)
            // XLSX parsing (inflate + XML) costs more than validating and inserting together:
            // give it its own thread, so read, validate and insert overlap.
            if source.format == .xlsx { source = ReadAheadRowSource(source) }
        } catch {
            report.reject(code: error.code, error.description)
            return
        }
        var pipeline = RowPipeline(settings: settings, hooks: hooks)
        pipeline.suppression = try suppression ?? store.map { SuppressionList(numbers: try $0.dncNumbers()) } ?? .empty
        guard let store else {
            try pipeline.run(source, report: &report) { _ in }
            return
        }
        let draft = BatchDraft(
            name: settings.batchName ?? URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent,
            inbox: inbox.name, settings: settings, sourceFile: name, sha256: report.sha256, size: size,
            format: report.format ?? "", createdAt: now, claimKey: claimKey)
        var inner = report
        let batchId: Int64?
        do {
            batchId = try store.importBatch(draft) { inserter in
                try ConcurrentImport.run(pipeline, source, report: &inner, insert: inserter.insert)
                guard inner.status == .imported else { return .rollback }
                // Last look before the commit: a file that changed since it was opened is not committed.
                let after = FileSignature(path: path)
                if after != before {
                    throw FileChangedDuringImport(before: before?.description ?? "missing", after: after?.description ?? "missing")
                }
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

extension ImportReport {
    /// The file's content was already imported into `inbox` as batch `earlier`.
    mutating func markDuplicate(of earlier: Int64, inbox: String) {
        status = .duplicate
        batchId = earlier
        duplicateOf = earlier
        error = "the same content was already imported into inbox \(inbox) as batch \(earlier)"
        errorCode = "duplicate_file"
        counts = ImportCounts()
        errors = []
    }
}
