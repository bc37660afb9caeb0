import CLibPQ
import Foundation

/// One libpq connection (blocking, as the rest of the store is): statements with text
/// parameters, `COPY … FROM STDIN`, transactions. Not shared between threads at once; the engine
/// hands each operation a connection of its own (`PGPool`).
final class PGConnection {
    private let conn: OpaquePointer

    /// Connects to `url` (`postgresql://USER@HOST:PORT/NAME`; the password from the URL or
    /// `PGPASSWORD`, which libpq reads itself).
    init(url: String) throws(StoreError) {
        guard let conn = PQconnectdb(url) else { throw .open(path: PGConnection.redacted(url), reason: "out of memory") }
        self.conn = conn
        // Every stored property is set, so a throw from here on runs `deinit`, which finishes the
        // connection: finishing it here too freed it twice (a crash when the server was down).
        guard PQstatus(conn) == CONNECTION_OK else {
            throw .open(path: Self.redacted(url), reason: Self.message(conn))
        }
        // Notices (e.g. "relation already exists, skipping") are not the user's business.
        PQsetNoticeProcessor(conn, { _, _ in }, nil)
    }

    deinit { PQfinish(conn) }

    /// False once the server went away (the pool drops such a connection).
    var isHealthy: Bool { PQstatus(conn) == CONNECTION_OK }

    /// Runs `sql` with `$1…` bound to `params` as text (nil is NULL) and returns its rows.
    @discardableResult
    func query(_ sql: String, _ params: [String?] = []) throws(StoreError) -> PGRows {
        let result: OpaquePointer?
        if params.isEmpty {
            result = PQexec(conn, sql)
        } else {
            // The C strings must outlive the call: strdup them, free after.
            let cStrings = params.map { $0.map { strdup($0) } ?? nil }
            defer { for p in cStrings { free(p) } }
            result = cStrings.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
                PQexecParams(conn, sql, Int32(params.count), nil, values.baseAddress, nil, nil, 0)
            }
        }
        return try checked(result, sql)
    }

    /// Runs `sql` (one or more statements, no parameters).
    func execute(_ sql: String) throws(StoreError) { try query(sql) }

    /// True between `beginCopy` and `endCopy`/`abortCopy`.
    private(set) var copying = false

    /// Starts `COPY … FROM STDIN`; send the data with `sendCopy`, then `endCopy`.
    func beginCopy(_ sql: String) throws(StoreError) {
        let start = PQexec(conn, sql)
        guard PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try checked(start, sql)
            throw .database("\(sql): did not start a copy")
        }
        PQclear(start)
        copying = true
    }

    /// Sends COPY data (any split: rows may cross calls).
    func sendCopy(_ bytes: UnsafeRawBufferPointer) throws(StoreError) {
        guard bytes.count > 0 else { return }
        guard PQputCopyData(conn, bytes.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(bytes.count)) == 1 else {
            throw .database(Self.message(conn))
        }
    }

    /// Ends the copy; returns the rows copied, or throws what the server found wrong with the data.
    @discardableResult
    func endCopy() throws(StoreError) -> Int {
        copying = false
        guard PQputCopyEnd(conn, nil) == 1 else { throw .database(Self.message(conn)) }
        var copied = 0
        var failure: StoreError?
        while let r = PQgetResult(conn) {
            if PQresultStatus(r) == PGRES_COMMAND_OK {
                copied = Int(String(cString: PQcmdTuples(r))) ?? 0
            } else if failure == nil {
                failure = .postgres(PGError(r, "COPY"))
            }
            PQclear(r)
        }
        if let failure { throw failure }
        return copied
    }

    /// Abandons a copy in progress (the server discards what it received).
    func abortCopy() {
        guard copying else { return }
        copying = false
        _ = PQputCopyEnd(conn, "aborted by dropdial")
        while let r = PQgetResult(conn) { PQclear(r) }
    }

    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            abortCopy()
            if PQtransactionStatus(conn) != PQTRANS_IDLE { try? execute("ROLLBACK") }
            throw error
        }
    }

    private func checked(_ result: OpaquePointer?, _ sql: String) throws(StoreError) -> PGRows {
        guard let result else { throw .database(Self.message(conn)) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            return PGRows(result)
        default:
            let error = PGError(result, sql)
            PQclear(result)
            throw .postgres(error)
        }
    }

    private static func message(_ conn: OpaquePointer) -> String {
        String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The URL without its password, for messages.
    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }
}

/// A statement's failure as the server reported it: its SQLSTATE (`23505` a unique violation) and message.
public struct PGError: Error, Sendable, CustomStringConvertible {
    public var sqlState: String
    public var message: String
    /// The constraint a violation names, when it names one.
    public var constraint: String?

    init(_ result: OpaquePointer, _ sql: String) {
        func field(_ code: Character) -> String? {
            PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
        }
        sqlState = field("C") ?? ""
        message = field("M") ?? String(cString: PQresultErrorMessage(result))
        constraint = field("n")
    }

    public var description: String { "\(message) (SQLSTATE \(sqlState))" }

    static let uniqueViolation = "23505"
}

/// The rows of one result, read as text (libpq's text format); frees the result when released.
final class PGRows {
    private let result: OpaquePointer
    let count: Int
    /// The rows a command changed (`INSERT`, `UPDATE`, `DELETE`, `COPY`).
    let changes: Int

    init(_ result: OpaquePointer) {
        self.result = result
        count = Int(PQntuples(result))
        changes = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    deinit { PQclear(result) }

    func string(_ row: Int, _ column: Int) -> String? {
        guard PQgetisnull(result, Int32(row), Int32(column)) == 0 else { return nil }
        return String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }

    func double(_ row: Int, _ column: Int) -> Double? { string(row, column).flatMap { Double($0) } }
}
