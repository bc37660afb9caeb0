import ArgumentParser
import DropdialImport
import DropdialStore
import Foundation

/// `dropdial check FILE`: validation only; prints the report and commits nothing.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Validate a file and print its report; commits nothing.")

    @Argument(help: "A .csv, .tsv, .txt, .xlsx, .xlsm or .xls file.") var file: String
    @Option(help: "Inbox whose settings apply (default: the first).") var inbox: String?
    @Flag(help: "Print the report as JSON (the report is always JSON).") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        // The do-not-call list as it stands, read without changing the database (none: no list).
        let listed = PostgresStore.isURL(config.database) ? try config.openEngine().dncNumbers()
            : FileManager.default.fileExists(atPath: config.database)
            ? (try? Store.readOnly(path: config.database).dncNumbers()) ?? [] : []
        let report = try Importer(inbox: try options.inbox(inbox, in: config))
            .check(path: file, suppression: SuppressionList(numbers: listed))
        emit(String(decoding: try ReportFile.encode(report), as: UTF8.self))
        throw Exit.status(of: report)
    }
}
