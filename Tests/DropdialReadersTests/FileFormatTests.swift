import DropdialReaders
import Testing

/// The one decision of a file's type by its name (issue 14): the CLI commands, the pickup, the
/// DNC files and the HTTP upload all ask `FileFormat`.
@Suite struct FileFormatTests {
    @Test(arguments: [
        ("a.csv", FileFormat.csv), ("a.TSV", .csv), ("a.txt", .csv), ("a.xlsx", .xlsx), ("Book.XLSM", .xlsx),
        ("macro.xlsm", .xlsx), ("old.xls", .xls),
    ])
    func namesDecideTheReader(name: String, format: FileFormat) {
        #expect(FileFormat(fileName: name) == format)
        #expect(FileFormat(fileName: name, acceptingJSON: true) == format)
    }

    @Test func jsonOnlyForAddCalls() {
        #expect(FileFormat(fileName: "calls.json") == nil)
        #expect(FileFormat(fileName: "calls.JSON", acceptingJSON: true) == .json)
        #expect(FileFormat(fileName: "calls.xlsb") == nil)
        #expect(FileFormat(fileName: "noextension") == nil)
    }
}
