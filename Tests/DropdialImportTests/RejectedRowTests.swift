@testable import DropdialImport
import Testing

/// The `error` column's wording and the cells it blames, both ways (SPEC §10).
struct RejectedRowTests {
    static func issue(_ column: String, _ message: String) -> RowIssue {
        RowIssue(row: 2, column: column, value: "", code: .requiredMissing, message: message)
    }

    @Test func issuesBlameTheirColumnsAndReadBackTheSame() {
        let header = ["phone", "phone number", "", "tz"]
        let issues = [Self.issue("phone number", "not a valid phone number for region US"),
                      Self.issue("column_3", "required variable \"x\" is empty"),
                      Self.issue("tz", "\"Mars\" is not an IANA time zone; use a name like America/New_York")]
        let text = RejectedRow.errorText(issues)
        #expect(text == "phone number: not a valid phone number for region US; column_3: required variable \"x\" is empty; tz: \"Mars\" is not an IANA time zone; use a name like America/New_York")
        let expected = [1: "not a valid phone number for region US", 2: "required variable \"x\" is empty",
                        3: "\"Mars\" is not an IANA time zone; use a name like America/New_York"]
        #expect(RejectedRow.failingCells(header: header, issues: issues) == expected)
        // Read back from the text: `phone number` is not taken for `phone`; the message's own
        // `; use a name…` stays with its cell because `use a name like…` names no column.
        #expect(RejectedRow.failingCells(header: header, errorText: text) == expected)
    }

    @Test func shortRowsArePaddedSoTheErrorStaysUnderItsTitle() {
        let row = RejectedRow.cells(header: ["phone", "name", "tz"], cells: ["12"], issues: [Self.issue("phone", "bad")])
        #expect(row == ["12", "", "", "phone: bad"])
    }
}
