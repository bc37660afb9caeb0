import DropdialBase
import ArgumentParser
import DropdialPickup
import DropdialImport
import DropdialStore
import Foundation

/// `dropdial batch ID`: the batch and one page of its calls with their attempts (seed 002).
struct BatchDetailsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Show a batch and a page of its calls, filtered, searched and sorted.")

    @Argument(help: "Batch id (see `dropdial batches`).") var id: Int64
    @Option(help: "Page number, from 1.") var page = 1
    @Option(help: "Calls per page.") var limit = 10
    @Option(help: #"JSON object of exact matches: callStatus, outcome, timezone or any variable, e.g. {"callStatus":"pending"}."#)
    var filter: String?
    @Option(help: "Call field (id, phoneNumber, timezone, callStatus, attempts, nextAttemptAt, outcome, createdAt) or variable.")
    var sortBy: String?
    @Option(help: "asc or desc.") var sortOrder: String?
    @Option(help: "Case-insensitive text to find in the phone number or any variable.") var search: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let store = try config.openEngine()
        if search != nil, let sqlite = store as? Store { Self.catchUpSearchIndex(sqlite) }
        let details: BatchDetails
        do {
            let query = try CallQuery(page: page, limit: limit, filter: try filter.map { try CallFilter(json: $0) } ?? CallFilter(),
                                      sort: try CallSort(by: sortBy, order: sortOrder), search: search)
            details = try store.batchDetails(id, query, compliance: config.compliance)
        } catch let error as CallQueryError {
            throw Exit.fail(Exit.usage, error.description)
        } catch {
            throw Exit.fail(Exit.internalError, "\(error)")
        }
        if json {
            emit(details.prettyJSON())
        } else {
            emit(Self.table(details))
        }
    }

    /// Indexes the calls the index lacks (`dropdial run` does it in the background; after a
    /// plain `dropdial import` the first search pays for it once). Should that fail (say, a long
    /// import holds the database), the search scans instead: slower, same answer.
    static func catchUpSearchIndex(_ store: Store) {
        do {
            let n = try store.indexForSearch(chunk: 50_000)
            if n > 0 { FileHandle.standardError.write(Data("dropdial: indexed \(n) calls for search\n".utf8)) }
        } catch {
            FileHandle.standardError.write(Data("dropdial: warning: search index not brought up to date (\(error)); scanning instead\n".utf8))
        }
    }

    /// The batch line, the page line, then one tab-separated line per call.
    static func table(_ d: BatchDetails) -> String {
        var text = "batch \(d.id) \"\(PickupNames.printable(d.name))\": \(d.status), inbox \(d.inbox), created \(Timestamp.iso8601(d.createdAt))\n"
        let first = (d.page - 1) * d.limit + 1
        if d.calls.isEmpty {
            text += "no calls on page \(d.page) (\(d.total) matching, \(d.totalPages) pages)\n"
            return text
        }
        text += "calls \(first)-\(first + d.calls.count - 1) of \(d.total), page \(d.page) of \(d.totalPages)\n"
        text += "ID\tPHONE\tSTATUS\tATTEMPTS\tNEXT ATTEMPT\tLAST OUTCOME\tTIMEZONE\tVARIABLES\n"
        for c in d.calls {
            let next = c.nextAttemptAt.map(Timestamp.iso8601) ?? "-"
            let variables = c.variables.keys.sorted().map { "\($0)=\(c.variables[$0]!)" }.joined(separator: ", ")
            text += "\(c.id)\t\(c.phoneNumber)\t\(c.status)\t\(c.attempts)\t\(next)\t\(c.lastOutcome ?? "-")\t\(c.timezone)\t\(variables)\n"
        }
        return text
    }
}
