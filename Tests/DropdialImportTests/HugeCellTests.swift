import DropdialTestKit
@testable import DropdialImport
import Foundation
import Testing

/// Rows with megabyte cells (hostile input, issue 7): cheap to reject, small to report.
@Suite struct HugeCellTests {
    @Test func aPhoneCellOverLibphonenumbersLimitIsInvalidWithoutParsing() throws {
        let phone = PhoneNormalizer(region: "US")
        let started = ContinuousClock.now
        #expect(throws: PhoneNormalizer.Failure.invalid) { try phone.normalize(String(repeating: "x", count: 1_000_000)) }
        #expect(throws: PhoneNormalizer.Failure.invalid) { try phone.normalize("+1" + String(repeating: "4", count: 300)) }
        #expect(ContinuousClock.now - started < .seconds(1))
        // 250 bytes is still handed to libphonenumber (which decides).
        #expect(try phone.normalize("+1 415 555 2671" + String(repeating: " ", count: 200)) == "+14155552671")
    }

    @Test func reportTextIsCutAt256Characters() {
        let long = String(repeating: "é", count: 1_000_000)
        let issue = RowIssue(row: 2, column: long, value: long, code: .phoneInvalid, message: "x")
        #expect(issue.value == String(repeating: "é", count: 256) + "…")
        #expect(issue.column == issue.value)
        let exact = String(repeating: "a", count: 256)
        #expect(RowIssue(row: 2, column: "phone", value: exact, code: .phoneInvalid, message: "x").value == exact)
    }
}
