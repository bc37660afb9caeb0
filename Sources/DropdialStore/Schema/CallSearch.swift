import GRDB

/// The index behind `dropdial batch ID --search`: a contentless FTS5 table with the trigram
/// tokenizer over each call's phone number and variable values. A case-insensitive substring
/// search then reads posting lists instead of every call of a million-call batch. Calls are
/// indexed after they are written, not while (tokenizing costs more than the import itself).
enum CallSearch {
    /// The indexed text of the call row `alias`: its number and variable values, joined by U+001F.
    /// No search text holds U+001F, so a match never spans two values. Inserts and deletes must
    /// use this same expression (a contentless table deletes by the text it indexed).
    static func text(_ alias: String) -> String {
        "\(alias).phoneNumber || char(31) || COALESCE((SELECT group_concat(value, char(31)) FROM json_each(\(alias).variables)), '')"
    }

    /// Creates the table, the watermark below which every call is indexed, and the triggers that
    /// keep indexed calls in step when they are updated or deleted. Nothing is indexed here: the
    /// indexer (`Store.indexForSearch`) catches up in the background, so neither an import's hot
    /// path nor this migration pays for the tokenizing.
    static func create(_ db: Database) throws {
        let indexed = "old.id <= (SELECT indexedTo FROM searchIndex)"
        try db.execute(sql: """
            CREATE TABLE searchIndex (indexedTo INTEGER NOT NULL);
            INSERT INTO searchIndex (indexedTo) VALUES (0);
            CREATE VIRTUAL TABLE call_search USING fts5(text, content = '', tokenize = 'trigram');
            CREATE TRIGGER call_search_update AFTER UPDATE OF phoneNumber, variables ON call WHEN \(indexed) BEGIN
                INSERT INTO call_search (call_search, rowid, text) VALUES ('delete', old.id, \(text("old")));
                INSERT INTO call_search (rowid, text) VALUES (new.id, \(text("new")));
            END;
            CREATE TRIGGER call_search_delete AFTER DELETE ON call WHEN \(indexed) BEGIN
                INSERT INTO call_search (call_search, rowid, text) VALUES ('delete', old.id, \(text("old")));
            END;
            """)
    }

    /// Every call with an id up to this one is in the index (call ids only grow: AUTOINCREMENT).
    static func indexedTo(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT indexedTo FROM searchIndex") ?? 0
    }

    /// True when every call is in the index.
    static func isCurrent(_ db: Database) throws -> Bool {
        try indexedTo(db) >= lastId(db)
    }

    /// Indexes the next `chunk` calls above the watermark and moves it; returns how many.
    static func indexNext(_ db: Database, chunk: Int) throws -> Int {
        let from = try indexedTo(db)
        guard let to = try Int64.fetchOne(db, sql: """
            SELECT MAX(id) FROM (SELECT id FROM call WHERE id > ? ORDER BY id LIMIT ?)
            """, arguments: [from, chunk]) else { return 0 }
        try db.execute(sql: "INSERT INTO call_search (rowid, text) SELECT id, \(text("call")) FROM call WHERE id > ? AND id <= ?",
                       arguments: [from, to])
        let count = db.changesCount
        try db.execute(sql: "UPDATE searchIndex SET indexedTo = ?", arguments: [to])
        return count
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
        // FTS5 reads a query only up to a NUL ("unterminated string", a 500 found by
        // schemathesis): such a search scans instead.
        guard cleaned.unicodeScalars.count >= 3, !cleaned.unicodeScalars.contains("\u{0}") else { return nil }
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
