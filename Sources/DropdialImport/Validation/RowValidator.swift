import DropdialConfig
import DropdialTimezones

/// Checks one data row against the header map and the batch settings.
struct RowValidator: Sendable {
    let header: HeaderMap
    let phones: PhoneNormalizer
    let batchTimezone: String
    /// `"key":` for each variable column, escaped once.
    private let encodedKeys: [[UInt8]?]

    init(header: HeaderMap, phones: PhoneNormalizer, batchTimezone: String) {
        self.header = header
        self.phones = phones
        self.batchTimezone = batchTimezone
        encodedKeys = header.variableKeys.map { $0.map(JSONBytes.encodedKey) }
    }

    /// A row that passed: its E.164 number, variables JSON and zones.
    struct Valid {
        var phone: String
        var timezone: String?
        var zones: String
        var variablesJSON: String
    }

    /// Validates `row`; returns the valid contact or every issue found.
    func validate(_ row: [String], number: Int) -> Result<Valid, IssueList> {
        var issues: [RowIssue] = []
        let phoneCell = cell(row, header.phone)
        var e164 = ""
        do {
            e164 = try phones.normalize(phoneCell)
        } catch {
            issues.append(phoneIssue(error, value: phoneCell, row: number))
        }
        for (column, name) in header.required where cell(row, column).trimmingWhitespace.isEmpty {
            issues.append(RowIssue(row: number, column: header.title(column), value: "", code: .requiredMissing,
                                   message: "required variable \"\(name)\" is empty"))
        }
        var timezone: String?
        if let tzColumn = header.timezone {
            let tz = String(cell(row, tzColumn).trimmingWhitespace)
            if !tz.isEmpty {
                if SettingsCheck.isIANAZone(tz) {
                    timezone = tz
                } else {
                    issues.append(RowIssue(row: number, column: header.title(tzColumn), value: tz, code: .timezoneInvalid,
                                           message: "\"\(tz)\" is not an IANA time zone; use a name like America/New_York"))
                }
            }
        }
        guard issues.isEmpty else { return .failure(IssueList(issues: issues)) }
        // SPEC §7: the row's zone, else every zone of the number's prefix, else the batch zone.
        let zones = ZoneResolution.zones(rowTimezone: timezone, e164: e164, batchTimezone: batchTimezone,
                                         prefixes: .shared)
        return .success(Valid(phone: e164, timezone: timezone, zones: zones.joined(separator: ","),
                              variablesJSON: variables(row)))
    }

    struct IssueList: Error { var issues: [RowIssue] }

    private func cell(_ row: [String], _ column: Int) -> String {
        column < row.count ? row[column] : ""
    }

    private func phoneIssue(_ failure: PhoneNormalizer.Failure, value: String, row: Int) -> RowIssue {
        let column = header.title(header.phone)
        switch failure {
        case .missing:
            return RowIssue(row: row, column: column, value: value, code: .phoneMissing, message: "phone number is empty")
        case .lostDigits:
            return RowIssue(row: row, column: column, value: value, code: .phoneLostDigits,
                            message: "the phone number lost digits in a spreadsheet (scientific notation); format the column as Text and re-enter it")
        case .invalid:
            return RowIssue(row: row, column: column, value: value, code: .phoneInvalid,
                            message: "not a valid phone number for region \(phones.region)")
        }
    }

    /// The row's non-phone columns as a JSON object in column order; cells past the header are kept
    /// under `column_N` when they hold something.
    private func variables(_ row: [String]) -> String {
        var json = JSONBytes()
        json.beginObject()
        for (index, key) in encodedKeys.enumerated() {
            guard let key else { continue }
            json.member(encodedKey: key, index < row.count ? row[index] : "")
        }
        if row.count > encodedKeys.count {
            for index in encodedKeys.count..<row.count where !row[index].isEmpty {
                json.member("column_\(index + 1)", row[index])
            }
        }
        json.endObject()
        return json.text
    }
}
