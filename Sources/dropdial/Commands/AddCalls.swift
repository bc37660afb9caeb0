import DropdialBase
import ArgumentParser
import DropdialImport
import DropdialStore
import Foundation

/// `dropdial add-calls ID FILE` (seeds 001/004): validate a file against the batch's rules and
/// add its contacts, 1000 per transaction.
struct AddCalls: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-calls",
        abstract: "Add contacts (JSON array, CSV, XLSX, XLS) to a batch; pending numbers are updated, finished ones requeued.")

    @Argument(help: "Batch id (see `dropdial batches`).") var id: Int64
    @Argument(help: "A .json array of objects with phoneNumber, or a .csv, .tsv, .txt, .xlsx, .xlsm or .xls file.") var file: String
    @Flag(help: "Print {message, status, code, data} as JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let store = try config.openEngine()
        syncDNCFiles(config, store: store)
        let response: AddCallsResponse
        do {
            response = try AddCallsRun.run(path: file, batch: id, store: store)
        } catch let error as AddCallsError {
            if case .unknownBatch = error { throw Exit.fail(Exit.usage, error.description) }
            throw Exit.fail(Exit.rejected, error.description)
        } catch {
            throw Exit.fail(Exit.internalError, "\(error)")
        }
        if json {
            emit(try JSONStyle.text(response))
        } else {
            var text = "\(response.code): \(response.message)\n"
            for chunk in response.data.failedChunks ?? [] {
                text += "chunk \(chunk.chunkNum) (rows \(chunk.firstRow)-\(chunk.lastRow)) failed: \(chunk.error)\n"
            }
            for issue in response.data.errors {
                text += "row \(issue.row), \(issue.column): \(issue.message)\n"
            }
            emit(text)
        }
        if response.code != 200 { throw Exit.rejected }
    }
}
