import ArgumentParser
import DropdialServer
import DropdialStore
import DropdialWriters
import Foundation

/// `dropdial export ID [--format csv|xlsx] [--out FILE]`: the batch's per-contact results (SPEC §10).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a batch's results: one row per call with its status, attempts and last and next attempt.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case csv, xlsx
    }

    @Argument(help: "The batch id.") var id: Int64
    @Option(help: "csv or xlsx.") var format: Format = .csv
    @Option(help: "Write to this file (needed for xlsx; default for csv: standard output).") var out: String?
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let store = try options.load().openEngine()
        guard let export = try store.resultsExport(batch: id) else {
            throw Exit.fail(Exit.usage, "no batch \(id) (dropdial batches lists them)")
        }
        do {
            switch format {
            case .csv: try csv(export, store)
            case .xlsx:
                guard let out else { throw Exit.fail(Exit.usage, "--format xlsx needs --out FILE.xlsx") }
                let folder = (out as NSString).deletingLastPathComponent
                try ResultsWorkbook.write(export, store: store, to: out, tempFolder: folder.isEmpty ? "." : folder)
            }
        } catch let error as XLSXWriteError {
            throw Exit.fail(Exit.internalError, error.description)
        }
    }

    private func csv(_ export: ResultsExport, _ store: any StoreEngine) throws {
        let handle: FileHandle
        if let out {
            guard FileManager.default.createFile(atPath: out, contents: nil),
                  let h = FileHandle(forWritingAtPath: out) else {
                throw Exit.fail(Exit.internalError, "cannot write \(out) (is its folder writable?)")
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        var text = String(decoding: CSVCells.byteOrderMark, as: UTF8.self) + CSVCells.line(export.header)
        try export.forEachRow(store) { row in
            text += CSVCells.line(row)
            if text.utf8.count >= 1 << 20 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        try handle.write(contentsOf: Data(text.utf8))
        if out != nil { try handle.close() }
    }
}
