/// Where each known column sits, and the variable key for every other column.
struct HeaderMap: Sendable {
    /// Column index of the phone number.
    var phone: Int
    /// Column index of the `timezone` cell, if the file has one.
    var timezone: Int?
    /// Header text as the user wrote it, per column (for error reports).
    var titles: [String]
    /// Variable key per column (nil for the phone column); keys are unique.
    var variableKeys: [String?]
    /// Columns that must hold a value, with the configured variable name.
    var required: [(column: Int, name: String)]

    /// Why a header row cannot be used: the file-level rejection it causes.
    enum Failure: Error, Equatable {
        case noPhoneColumn(found: [String])
        case looksLikeData(String)
        case requiredColumnsMissing([String])
    }

    init(header: [String], requiredVariables: [String]) throws(Failure) {
        let normalized = header.map(HeaderKey.normalize)
        guard let phone = normalized.firstIndex(where: { HeaderKey.phoneAliases.contains($0) }) else {
            if let cell = header.first(where: { PhoneNormalizer.looksLikePhoneNumber($0) }) {
                throw .looksLikeData(cell)
            }
            throw .noPhoneColumn(found: header.filter { !$0.isEmpty })
        }
        self.phone = phone
        timezone = normalized.firstIndex(where: { HeaderKey.timezoneAliases.contains($0) })
        titles = header
        var seen = Set<String>()
        variableKeys = header.enumerated().map { index, title -> String? in
            if index == phone { return nil }
            let trimmed = String(title.trimmingWhitespace)
            let base = trimmed.isEmpty ? "column_\(index + 1)" : trimmed
            var key = base
            var n = 2
            while !seen.insert(key).inserted {
                key = "\(base)_\(n)"
                n += 1
            }
            return key
        }
        var required: [(Int, String)] = []
        var missing: [String] = []
        for name in requiredVariables {
            if let col = normalized.firstIndex(of: HeaderKey.normalize(name)) {
                required.append((col, name))
            } else {
                missing.append(name)
            }
        }
        guard missing.isEmpty else { throw .requiredColumnsMissing(missing) }
        self.required = required
    }

    /// The header title of `column`, or a spreadsheet-style name when the row is wider than the header.
    func title(_ column: Int) -> String {
        RejectedRow.title(titles, column)
    }
}

extension String {
    var trimmingWhitespace: Substring { self[...].trimmingWhitespace }
}

extension Substring {
    var trimmingWhitespace: Substring {
        // Fast path: a first and last byte that are printable ASCII are the first scalars of the
        // first and last Characters (no grapheme cluster ends in ASCII after a whitespace start),
        // and `isWhitespace` looks at a Character's first scalar: nothing to trim.
        if let f = utf8.first, let l = utf8.last, f > 0x20, f < 0x80, l > 0x20, l < 0x80 { return self }
        var s = self
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }
}
