import DropdialConfig
import DropdialReaders
import DropdialStore
import Foundation

/// One file through the whole pipeline a drop uses: checks, manifest, read, validate, commit
/// (one transaction) or dry-run. Used by `import`, `check` and the daemon.
public struct Importer: Sendable {
    public let inbox: InboxConfig

    public init(inbox: InboxConfig) { self.inbox = inbox }

    /// Imports `path` into `store`, or validates only when `store` is nil (`check`).
    /// `manifestPath` defaults to the `NAME.batch.json` beside the file.
    public func run(path: String, displayName: String? = nil, manifestPath: String? = nil,
                    store: Store?, now: Date = Date()) -> ImportReport {
        let name = displayName ?? URL(fileURLWithPath: path).lastPathComponent
        var report = ImportReport(file: name, sha256: "", inbox: inbox.name,
                                  policy: inbox.settings.invalidRows.rawValue, startedAt: now)
        report.dryRun = store == nil
        defer { report.finishedAt = Date() }
        do {
            try importFile(path: path, name: name, manifestPath: manifestPath, store: store, report: &report, now: now)
        } catch {
            report.status = .failed
            report.batchId = nil
            report.errorCode = "internal"
            report.error = "import failed, nothing was committed: \(error)"
        }
        report.finishedAt = Date()
        return report
    }

    private func importFile(path: String, name: String, manifestPath: String?, store: Store?,
                            report: inout ImportReport, now: Date) throws {
        report.format = FileFormat(fileName: name)?.rawValue
        var size: Int64 = 0
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        } catch {
            report.reject(code: "unreadable", "cannot read the file: \(error.localizedDescription)")
            return
        }
        report.sha256 = try FileDigest.sha256(path: path)
        guard report.format != nil else {
            report.reject(code: "unsupported_type", ReaderError.unsupportedType(name).description)
            return
        }
        let limit = Int64(inbox.maxFileMB) << 20
        if size > limit {
            report.reject(code: "file_too_large", ReaderError.tooLarge(bytes: size, limit: limit).description)
            return
        }
        if size == 0 {
            report.reject(code: "empty_file", "the file is empty")
            return
        }
        var settings = inbox.settings
        let manifestFile = manifestPath ?? Manifest.path(forDataFile: path)
        if let data = FileManager.default.contents(atPath: manifestFile) {
            do {
                try Manifest(json: data).apply(to: &settings)
            } catch {
                report.reject(code: "manifest_invalid", "\(URL(fileURLWithPath: manifestFile).lastPathComponent): \(error)")
                return
            }
        }
        if let store, let earlier = try store.batchImported(inbox: inbox.name, sha256: report.sha256) {
            report.status = .duplicate
            report.batchId = earlier
            report.duplicateOf = earlier
            report.error = "the same content was already imported into inbox \(inbox.name) as batch \(earlier)"
            report.errorCode = "duplicate_file"
            return
        }
        var limits = ReaderLimits.default
        limits.maxFileBytes = limit
        let source: any RowSource
        do {
            source = try RowReader.open(path: path, limits: limits)
        } catch {
            report.reject(code: error.code, error.description)
            return
        }
        let pipeline = RowPipeline(settings: settings)
        guard let store else {
            try pipeline.run(source, report: &report) { _ in }
            return
        }
        let draft = BatchDraft(
            name: settings.batchName ?? URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent,
            inbox: inbox.name, settings: settings, sourceFile: name, sha256: report.sha256, size: size,
            format: report.format ?? "", createdAt: now)
        var inner = report
        let batchId = try store.importBatch(draft) { inserter in
            try pipeline.run(source, report: &inner) { try inserter.insert($0) }
            return inner.status == .imported ? .commit(inner.counts) : .rollback
        }
        report = inner
        report.batchId = batchId
    }
}
