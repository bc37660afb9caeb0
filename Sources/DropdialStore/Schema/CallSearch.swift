import GRDB

/// The index behind `dropdial batch ID --search`: a contentless FTS5 table with the trigram
/// tokenizer over each call's phone number and variable values. A case-insensitive substring
/// search then reads posting lists instead of every call of a million-call batch.
enum CallSearch {
    /// The indexed text of the call row `alias`: its number and variable values, joined by U+001F.
    /// No search text holds U+001F, so a match never spans two values. Inserts and deletes must
    /// use this same expression (a contentless table deletes by the text it indexed).
    static func text(_ alias: String) -> String {
        "\(alias).phoneNumber || char(31) || COALESCE((SELECT group_concat(value, char(31)) FROM json_each(\(alias).variables)), '')"
    }

    /// Creates the table, the triggers that follow updates and deletes, and indexes existing calls.
    /// Inserts are indexed by their writers in bulk (`index(_:idsAbove:)`), not by a trigger, so the
    /// import's multi-row inserts stay cheap.
    static func create(_ db: Database) throws {
        try db.execute(sql: """
            CREATE VIRTUAL TABLE call_search USING fts5(text, content = '', tokenize = 'trigram');
            CREATE TRIGGER call_search_update AFTER UPDATE OF phoneNumber, variables ON call BEGIN
                INSERT INTO call_search (call_search, rowid, text) VALUES ('delete', old.id, \(text("old")));
                INSERT INTO call_search (rowid, text) VALUES (new.id, \(text("new")));
            END;
            CREATE TRIGGER call_search_delete AFTER DELETE ON call BEGIN
                INSERT INTO call_search (call_search, rowid, text) VALUES ('delete', old.id, \(text("old")));
            END;
            """)
        try index(db, idsAbove: 0)
    }

    /// The statement that indexes every call with an id above its one argument: call ids only
    /// grow (AUTOINCREMENT), so that is exactly what a writer inserted since it last indexed.
    static let indexSQL = "INSERT INTO call_search (rowid, text) SELECT id, \(text("call")) FROM call WHERE id > ?"

    static func index(_ db: Database, idsAbove id: Int64) throws {
        try db.cachedStatement(sql: indexSQL).execute(arguments: [id])
    }

    /// The highest call id so far (0 for none).
    static func lastId(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM call") ?? 0
    }

    /// An FTS5 query for `text`: one phrase (trigram phrases match substrings), or nil when the
    /// text is shorter than three characters, which the trigram index cannot answer. A text that
    /// reads as a phone number fragment (`(415) 555-12`) also matches its digits alone, as numbers
    /// are stored in E.164.
    static func matchQuery(_ text: String) -> String? {
        let cleaned = text.filter { $0 != "\u{1F}" }
        guard cleaned.unicodeScalars.count >= 3 else { return nil }
        var phrases = [phrase(cleaned)]
        let digits = cleaned.filter(\.isASCIIDigit)
        if digits.count >= 3, digits != cleaned, cleaned.allSatisfy({ $0.isASCIIDigit || " +-().".contains($0) }) {
            phrases.append(phrase(String(digits)))
        }
        return phrases.joined(separator: " OR ")
    }

    private static func phrase(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
