import DropdialStore
import Foundation
import Testing

/// The store engines a contract test runs on: a fresh SQLite file always, and a fresh PostgreSQL
/// schema when `DROPDIAL_TEST_POSTGRES` names a server (`.ci/run` starts one with
/// `scripts/test` starts one with `scripts/postgres start` and sets it, with
/// `DROPDIAL_TEST_POSTGRES_REQUIRED=1`, under which its absence is an error: the README's test
/// command never skips the PostgreSQL half without a word. A bare `swift test` skips it.
public enum TestEngines {
    /// The server's URL, e.g. `postgresql://dropdial@127.0.0.1:55432/dropdial`.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["DROPDIAL_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when the run must include PostgreSQL (`scripts/test`, and so CI).
    public static var postgresRequired: Bool { ProcessInfo.processInfo.environment["DROPDIAL_TEST_POSTGRES_REQUIRED"] == "1" }

    /// The server's URL; without one, nil, and an issue recorded when the run requires it.
    public static func postgresServer(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        if postgresURL == nil && postgresRequired {
            Issue.record("DROPDIAL_TEST_POSTGRES_REQUIRED=1 but DROPDIAL_TEST_POSTGRES is not set: the PostgreSQL half did not run",
                         sourceLocation: sourceLocation)
        }
        return postgresURL
    }

    /// `url` with `schema` first in its search_path (the engine creates it on first open).
    public static func url(_ base: String, schema: String) -> String {
        base + (base.contains("?") ? "&" : "?") + "options=-csearch_path%3D" + schema
    }

    /// A schema name no test has used: `t_TAG_RANDOM`.
    public static func schemaName(_ tag: String) -> String {
        let clean = tag.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) && $0.isASCII }
        return "t_" + String(String.UnicodeScalarView(clean)) + "_" + UUID().uuidString.prefix(8).lowercased()
    }

    /// A migrated PostgreSQL store in a schema of its own and its URL, or nil without a server.
    public static func postgres(_ tag: String) throws -> (PostgresStore, String)? {
        guard let base = postgresURL else { return nil }
        let url = url(base, schema: schemaName(tag))
        return (try PostgresStore(url: url), url)
    }

    /// Each engine under test, named: `("sqlite", …)` and, with a server, `("postgresql", …)`.
    public static func all(_ tag: String) throws -> [(name: String, engine: any StoreEngine)] {
        var engines: [(String, any StoreEngine)] = [("sqlite", try Scratch.store(tag))]
        if let (pg, _) = try postgres(tag) { engines.append(("postgresql", pg)) }
        return engines
    }

    /// A second handle on the same database as `engine` (another process or node would have one).
    public static func reopen(_ engine: any StoreEngine) throws -> any StoreEngine {
        if let pg = engine as? PostgresStore { return try PostgresStore(url: pg.url) }
        if let sqlite = engine as? Store { return try Store(path: sqlite.pool.path) }
        return engine
    }
}

/// The engine an end-to-end test runs the real daemon on (`@Test(arguments: EngineKind.allCases)`):
/// the same assertions on an SQLite file and on a PostgreSQL schema of the test's own.
public enum EngineKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgresql

    public var description: String { rawValue }

    /// The config's top-level `database` line: none for SQLite (the default file), a fresh
    /// schema's URL for PostgreSQL; nil when there is no server (the test then has nothing to
    /// run; an issue is recorded when the run requires PostgreSQL).
    public func topConfig(_ tag: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        switch self {
        case .sqlite: return ""
        case .postgresql:
            guard let base = TestEngines.postgresServer(sourceLocation: sourceLocation) else { return nil }
            return "database = \"\(TestEngines.url(base, schema: TestEngines.schemaName(tag)))\""
        }
    }
}
