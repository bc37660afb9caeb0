import DropdialConfig
import DropdialReaders
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

/// One file through the checks a drop uses (size, type, manifest), then read and validated.
/// `check` stops there; the store's `Importer.run(path:store:…)` commits the valid rows in one
/// transaction. Used by `import`, `check` and the daemon.
public struct Importer: Sendable {
    public let inbox: InboxConfig

    public init(inbox: InboxConfig) { self.inbox = inbox }

    /// `errorCode` of a report whose file changed during its import (status `failed`, nothing
    /// committed); the daemon keeps such a file claimed and imports it again once it is quiet.
    public static let fileChangedCode = "file_changed"

    /// Validates `path` without committing anything (`dropdial check`). Rows whose number is on
    /// `suppression` are counted `suppressed`. `manifestPath` defaults to the `NAME.batch.json`
    /// beside the file.
    public func check(path: String, displayName: String? = nil, manifestPath: String? = nil, now: Date = Date(),
                      suppression: SuppressionList = .empty,
                      hooks: ImportHooks = ImportHooks()) throws(ImportCancelled) -> ImportReport {
        var result = report(path: path, displayName: displayName, now: now, dryRun: true)
        return try finish(&result) { report in
            guard let file = try prepare(path: path, manifestPath: manifestPath, report: &report),
                  let source = file.open(report: &report) else { return }
            var pipeline = RowPipeline(settings: file.settings, hooks: hooks)
            pipeline.suppression = suppression
            try pipeline.run(source, report: &report) { _ in }
        }
    }

    /// An empty report for `path`, as every run starts it.
    public func report(path: String, displayName: String?, now: Date, dryRun: Bool) -> ImportReport {
        var report = ImportReport(file: displayName ?? URL(fileURLWithPath: path).lastPathComponent, sha256: "",
                                  inbox: inbox.name, policy: inbox.settings.invalidRows.rawValue, startedAt: now)
        report.dryRun = dryRun
        return report
    }

    /// Runs `body` on `report`, turning what it throws into a `failed` report (nothing committed):
    /// a file that changed becomes `file_changed`, an error `classify` names becomes its code, any
    /// other `internal`. A cancellation is passed on.
    public func finish(_ report: inout ImportReport, classify: (any Error) -> (code: String, message: String)? = { _ in nil },
                       _ body: (inout ImportReport) throws -> Void) throws(ImportCancelled) -> ImportReport {
        do {
            try body(&report)
        } catch let cancelled as ImportCancelled {
            throw cancelled
        } catch {
            report.status = .failed
            report.batchId = nil
            if let changed = error as? FileChangedDuringImport {
                report.errorCode = Self.fileChangedCode
                report.error = changed.description
            } else if let named = classify(error) {
                report.errorCode = named.code
                report.error = named.message
            } else {
                report.errorCode = "internal"
                report.error = "import failed, nothing was committed: \(error)"
            }
        }
        report.finishedAt = Date()
        return report
    }

    /// The checks before a file is read: a regular file, within the size limit, of a known type,
    /// not empty, with a valid manifest. Fills `report.sha256` and `format`; returns nil with
    /// the report rejected when a check fails.
    public func prepare(path: String, manifestPath: String?, report: inout ImportReport) throws -> PreparedFile? {
        report.format = FileFormat(fileName: report.file)?.rawValue
        let before = FileSignature(path: path)
        var size: Int64 = 0
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            report.reject(code: "unreadable", "cannot read the file: \(error.localizedDescription)")
            return nil
        }
        // Only regular files are opened: a FIFO would block the open, a device never end.
        if let kind = FileDigest.notRegular(path: path) {
            report.reject(code: "unreadable", "\(report.file) is \(kind), not a regular file; drop the file itself")
            return nil
        }
        // The size first: a 40 GB sparse file (SFTP can write one) is refused at once, not hashed.
        let limit = inbox.maxFileBytes
        if size > limit {
            report.reject(code: "file_too_large", ReaderError.tooLarge(bytes: size, limit: limit).description)
            return nil
        }
        do {
            report.sha256 = try FileDigest.sha256(path: path)
        } catch {
            report.reject(code: "unreadable", error.description)
            return nil
        }
        guard report.format != nil else {
            report.reject(code: "unsupported_type", ReaderError.unsupportedType(report.file).description)
            return nil
        }
        if size == 0 {
            report.reject(code: "empty_file", "the file is empty")
            return nil
        }
        var settings = inbox.settings
        let manifestFile = manifestPath ?? Manifest.path(forDataFile: path)
        do {
            try Manifest.load(path: manifestFile)?.apply(to: &settings)
            report.policy = settings.invalidRows.rawValue
        } catch {
            report.reject(code: "manifest_invalid", "\(URL(fileURLWithPath: manifestFile).lastPathComponent): \(error)")
            return nil
        }
        return PreparedFile(path: path, size: size, settings: settings, limit: limit, signature: before)
    }
}

/// A file that passed `Importer.prepare`: its size, its settings (the inbox's with the manifest
/// applied), and what it looked like before it was read.
public struct PreparedFile: Sendable {
    public let path: String
    public let size: Int64
    public let settings: BatchSettings
    let limit: Int64
    let signature: FileSignature?

    /// Opens the row source, or rejects `report` with the reader's reason.
    public func open(report: inout ImportReport) -> (any RowSource)? {
        var limits = ReaderLimits.default
        limits.maxFileBytes = limit
        limits.maxSharedTextBytes = limit
        do {
            let source = try RowReader.open(path: path, limits: limits)
            // XLSX parsing (inflate + XML) costs more than validating and inserting together:
            // give it its own thread, so read, validate and insert overlap.
            return source.format == .xlsx ? ReadAheadRowSource(source) : source
        } catch {
            report.reject(code: error.code, error.description)
            return nil
        }
    }

    /// Throws when the file changed since `prepare` looked at it: the last look before a commit.
    public func checkUnchanged() throws(FileChangedDuringImport) {
        let after = FileSignature(path: path)
        if after != signature {
            throw FileChangedDuringImport(before: signature?.description ?? "missing", after: after?.description ?? "missing")
        }
    }
}

extension ImportReport {
    /// The file's content was already imported into `inbox` as batch `earlier`.
    public mutating func markDuplicate(of earlier: Int64, inbox: String) {
        status = .duplicate
        batchId = earlier
        duplicateOf = earlier
        error = "the same content was already imported into inbox \(inbox) as batch \(earlier)"
        errorCode = "duplicate_file"
        counts = ImportCounts()
        errors = []
    }
}
