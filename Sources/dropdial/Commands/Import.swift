import ArgumentParser
import DropdialImport
import DropdialStore
import Foundation

/// `dropdial import FILE`: the drop pipeline on one file, without watching; the file stays put.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import one file as a batch; writes FILE.report.json beside it.")

    @Argument(help: "A .csv, .tsv, .txt, .xlsx, .xlsm or .xls file.") var file: String
    @Option(help: "Inbox whose settings apply (default: the first).") var inbox: String?
    @Flag(help: "Print the report as JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let inboxConfig = try options.inbox(inbox, in: config)
        let store = try config.openEngine()
        syncDNCFiles(config, store: store)
        let report = try Importer(inbox: inboxConfig).run(path: file, store: store)
        let reportPath = file + ".report.json"
        do {
            try ReportFile.write(report, to: reportPath)
        } catch {
            throw Exit.fail(Exit.internalError, "cannot write \(reportPath): \(error)")
        }
        if json {
            emit(String(decoding: try ReportFile.encode(report), as: UTF8.self))
        } else {
            emit(Summary.text(report) + "\nreport: \(reportPath)\n")
        }
        throw Exit.status(of: report)
    }
}

/// One human line per import.
enum Summary {
    static func text(_ r: ImportReport) -> String {
        let c = r.counts
        let counts = "\(c.rows) rows: \(c.imported) imported, \(c.invalid) invalid, \(c.duplicates) duplicates, \(c.suppressed) suppressed"
        switch r.status {
        case .imported where r.dryRun: return "\(r.file): valid — \(counts) (nothing committed)"
        case .imported: return "\(r.file): imported as batch \(r.batchId.map(String.init) ?? "?") — \(counts)"
        case .duplicate: return "\(r.file): duplicate of batch \(r.duplicateOf.map(String.init) ?? "?"), not imported again"
        case .rejected: return "\(r.file): rejected — \(r.error ?? "") (\(counts))"
        case .failed: return "\(r.file): failed — \(r.error ?? "")"
        }
    }
}
