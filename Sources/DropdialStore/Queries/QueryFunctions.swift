import Foundation
import GRDB

/// SQL functions the batch query needs and SQLite lacks, added to every connection.
enum QueryFunctions {
    /// `dd_sort_key(text)`: a number when the text reads as one, else the text; SQLite orders
    /// numbers (numerically) before text, so a variable like `amount` sorts 9 < 10, not "10" < "9".
    static let sortKey = DatabaseFunction("dd_sort_key", argumentCount: 1, pure: true) { values in
        guard let text = String.fromDatabaseValue(values[0]) else { return values[0] }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, let d = Double(trimmed), d.isFinite { return d }
        return text
    }

    /// `dd_contains(phoneNumber, variables, text)`: case-insensitive substring of the number or any
    /// variable value. The scan behind searches too short for the trigram index (under 3 characters).
    static let contains = DatabaseFunction("dd_contains", argumentCount: 3, pure: true) { values in
        guard let needle = String.fromDatabaseValue(values[2]) else { return false }
        if let phone = String.fromDatabaseValue(values[0]), phone.range(of: needle, options: .caseInsensitive) != nil {
            return true
        }
        guard let json = String.fromDatabaseValue(values[1]),
              let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return false }
        return object.values.contains { "\($0)".range(of: needle, options: .caseInsensitive) != nil }
    }

    static func add(to db: Database) {
        db.add(function: sortKey)
        db.add(function: contains)
    }
}
