import DropdialTestKit
@testable import DropdialImport
import DropdialConfig
import Foundation
import Testing

@Suite struct HeaderTests {
    @Test(arguments: ["phoneNumber", "phone_number", "Phone Number", "phone", "mobile", "PHONE-NUMBER", " Mobile "])
    func phoneAliases(header: String) throws {
        let (report, calls) = try validate([[header, "name"], ["(415) 555-2671", "Ada"]])
        #expect(report.status == .imported)
        #expect(calls.map(\.phoneNumber) == ["+14155552671"])
    }

    @Test func noPhoneColumnRejectsTheFile() throws {
        let (report, calls) = try validate([["name", "email"], ["Ada", "a@x.io"]])
        #expect(report.status == .rejected)
        #expect(report.errorCode == "no_phone_column")
        #expect(calls.isEmpty)
    }

    @Test func dataInTheFirstRowIsNoHeader() throws {
        let (report, _) = try validate([["4155552671", "Ada"], ["4155552672", "Bob"]])
        #expect(report.errorCode == "no_header")
    }

    @Test func missingRequiredColumnRejectsTheFile() throws {
        var s = BatchSettings()
        s.requiredVariables = ["account_id", "first name"]
        let (report, _) = try validate([["phone", "First_Name"], ["4155552671", "Ada"]], settings: s)
        #expect(report.errorCode == "required_column_missing")
        #expect(report.error?.contains("account_id") == true)
        #expect(report.error?.contains("first name") == false)
    }

    @Test func emptyAndHeaderOnlyFiles() throws {
        #expect(try validate([]).0.errorCode == "empty_file")
        #expect(try validate([[""], ["", ""]]).0.errorCode == "no_header")
        #expect(try validate([["phone"], [""]]).0.errorCode == "no_data_rows")
    }

    @Test func otherColumnsTravelAsVariablesInColumnOrder() throws {
        let (_, calls) = try validate([["name", "Phone", "", "name"], ["Zoë \"Z\"", "4155552671", "x", "dup", "extra"]])
        let json = try #require(calls.first?.variablesJSON)
        #expect(json == #"{"name":"Zoë \"Z\"","column_3":"x","name_2":"dup","column_5":"extra"}"#)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String]
        #expect(decoded?["name"] == "Zoë \"Z\"")
    }
}

@Suite struct RowRuleTests {
    @Test func emptyPhone() throws {
        let (report, _) = try validate([["phone", "name"], ["", "Ada"], ["4155552671", "Bob"]])
        #expect(report.errors.map(\.code) == [.phoneMissing])
        #expect(report.errors.first?.row == 2)
        #expect(report.errors.first?.column == "phone")
    }

    @Test func invalidForRegion() throws {
        let (report, _) = try validate([["phone"], ["12345"], ["+1 415 555 2671"]])
        #expect(report.errors.map(\.code) == [.phoneInvalid])
        #expect(report.errors.first?.value == "12345")
        #expect(report.counts.imported == 1)
    }

    @Test(arguments: ["4.15555E+09", "4,15555E+09", "1.23457e+10", "4E9"])
    func lostDigits(value: String) throws {
        let (report, _) = try validate([["phone"], [value], ["4155552671"]])
        #expect(report.errors.map(\.code) == [.phoneLostDigits])
    }

    @Test func oneLeadingApostropheIsStripped() throws {
        let (report, calls) = try validate([["phone"], ["'4155552671"], [" ' "]])
        #expect(calls.map(\.phoneNumber) == ["+14155552671"])
        #expect(report.errors.map(\.code) == [.phoneMissing])
        #expect(report.errors.first?.row == 3)
    }

    @Test func defaultRegionDecidesNationalNumbers() throws {
        var s = BatchSettings()
        s.region = "GB"
        let (_, calls) = try validate([["phone"], ["020 7946 0018"], ["+1 415 555 2671"]], settings: s)
        #expect(calls.map(\.phoneNumber) == ["+442079460018", "+14155552671"])
    }

    @Test func requiredVariableEmpty() throws {
        var s = BatchSettings()
        s.requiredVariables = ["account_id"]
        let (report, calls) = try validate([["phone", "Account ID"], ["4155552671", " "], ["4155552672", "A-1"]], settings: s)
        #expect(report.errors.map(\.code) == [.requiredMissing])
        #expect(report.errors.first?.column == "Account ID")
        #expect(calls.count == 1)
    }

    @Test func timezoneMustBeIANA() throws {
        let rows = [["phone", "timezone"], ["4155552671", "Mars/Olympus"], ["4155552672", "America/Chicago"],
                    ["4155552673", ""], ["4155552674", "PST"]]
        let (report, calls) = try validate(rows)
        #expect(report.errors.map(\.row) == [2, 5])
        #expect(report.errors.allSatisfy { $0.code == .timezoneInvalid })
        #expect(calls.map(\.timezone) == ["America/Chicago", nil])
        // The row's zone wins; without one, the 415 prefix (San Francisco) gives Los Angeles.
        #expect(calls.map(\.zones) == ["America/Chicago", "America/Los_Angeles"])
    }

    @Test func oneRowWithTwoProblemsCountsOnce() throws {
        var s = BatchSettings()
        s.requiredVariables = ["name"]
        let (report, _) = try validate([["phone", "name"], ["x", ""], ["4155552671", "Ada"]], settings: s)
        #expect(report.errors.count == 2)
        #expect(report.counts.invalid == 1)
        #expect(report.counts.rows == 2)
    }

    @Test func blankRowsAreSkippedAndNotCounted() throws {
        let (report, _) = try validate([["phone"], ["", ""], [], ["4155552671"]])
        #expect(report.counts.rows == 1)
        #expect(report.errors.isEmpty)
    }
}

@Suite struct ZoneResolutionAtImportTests {
    @Test func prefixZonesThenBatchZone() throws {
        var s = BatchSettings()
        s.timezone = "Europe/Paris"
        // 212 is Manhattan; 605 (South Dakota) spans two zones in libphonenumber's map; +800 has none.
        let (_, calls) = try validate([["phone"], ["+1 212 555 0123"], ["+1 605 555 0123"], ["+800 1234 5678"]], settings: s)
        #expect(calls.map(\.zones) == ["America/New_York", "America/Denver,America/North_Dakota/Center", "Europe/Paris"])
    }
}

@Suite struct DedupeAndPolicyTests {
    @Test func firstOccurrenceWins() throws {
        let rows = [["phone", "name"], ["(415) 555-2671", "first"], ["+1 415.555.2671", "second"], ["4155552672", "other"]]
        let (report, calls) = try validate(rows)
        #expect(calls.map(\.rowNumber) == [2, 4])
        #expect(report.counts.duplicates == 1)
        #expect(report.duplicateRows == [.init(row: 3, phoneNumber: "+14155552671", firstRow: 2)])
        #expect(report.errors.isEmpty)
    }

    @Test func skipPolicyImportsValidRows() throws {
        let (report, calls) = try validate([["phone"], ["bad"], ["4155552671"]])
        #expect(report.status == .imported)
        #expect(report.counts.imported == 1)
        #expect(report.counts.invalid == 1)
        #expect(calls.count == 1)
    }

    @Test func rejectPolicyRejectsTheWholeFile() throws {
        var s = BatchSettings()
        s.invalidRows = .reject
        let (report, _) = try validate([["phone"], ["bad"], ["4155552671"]], settings: s)
        #expect(report.status == .rejected)
        #expect(report.errorCode == "invalid_rows")
        #expect(report.errors.count == 1)
    }

    @Test func rejectPolicyAcceptsACleanFile() throws {
        var s = BatchSettings()
        s.invalidRows = .reject
        let (report, _) = try validate([["phone"], ["4155552671"]], settings: s)
        #expect(report.status == .imported)
    }

    /// A report lists 10,000 row errors and 10,000 duplicates at most; the counts stay exact.
    @Test func listsStopAtTheLimitAndCountsStayExact() throws {
        let n = 10_005
        var rows = [["phone", "name"]]
        for i in 0..<n { rows.append(["bad \(i)", "x"]) }
        rows.append(["4155552671", "first"])
        for _ in 0..<n { rows.append(["(415) 555-2671", "again"]) }
        let (report, calls) = try validate(rows)
        #expect(report.counts.invalid == n && report.counts.duplicates == n && calls.count == 1)
        #expect(report.errors.count == 10_000 && report.errorsTruncated)
        #expect(report.duplicateRows.count == 10_000)
        #expect(report.errors.last?.row == 10_001, "the first 10,000 in file order")
    }

    @Test func skipPolicyWithNoValidRowRejects() throws {
        let (report, _) = try validate([["phone"], ["bad"], [""]])
        #expect(report.errorCode == "no_valid_rows")
    }
}
