import DropdialTestKit
import Testing
@testable import DropdialReaders

/// Delimiter detection: `,` `;` tab `|`, quotes respected, `.tsv` default, Excel's `sep=` line.
@Suite struct CSVDelimiterTests {
    @Test(arguments: [
        ("name,phone,city\nAnn,555,Paris\nBob,556,Rome\n", ","),
        ("name;phone;city\nAnn;555;Paris\nBob;556;Rome\n", ";"),
        ("name\tphone\tcity\nAnn\t555\tParis\nBob\t556\tRome\n", "\t"),
        ("name|phone|city\nAnn|555|Paris\nBob|556|Rome\n", "|"),
    ])
    func eachDelimiterIsDetected(text: String, delimiter: String) throws {
        let reader = try CSVFixture.open(.ascii(text))
        #expect(reader.delimiter == UInt8(ascii: Unicode.Scalar(delimiter)!))
        var cells: [[String]] = []
        while let row = try reader.nextRow() { cells.append(row.cells) }
        #expect(cells == [["name", "phone", "city"], ["Ann", "555", "Paris"], ["Bob", "556", "Rome"]])
    }

    @Test func semicolonWinsOverDecimalCommas() throws {
        // European export: ";" separates, "," is the decimal mark in some cells only.
        let text = "name;amount;phone\nAnn;1,5;555\nBob;2;556\nCid;3,25;557\n"
        #expect(try CSVFixture.cells(text) == [
            ["name", "amount", "phone"], ["Ann", "1,5", "555"], ["Bob", "2", "556"], ["Cid", "3,25", "557"],
        ])
    }

    @Test func delimitersInsideQuotesAreNotCounted() throws {
        // Each line has 3 commas inside quotes but exactly 1 semicolon outside.
        let text = "name;address\n\"Doe, J\";\"1, Main St, NY, US\"\n\"Roe, K\";\"2, High St, LA, US\"\n"
        #expect(try CSVFixture.cells(text) == [
            ["name", "address"], ["Doe, J", "1, Main St, NY, US"], ["Roe, K", "2, High St, LA, US"],
        ])
    }

    @Test func tsvExtensionDefaultsToTab() throws {
        // A single column with a comma inside: in a .tsv that is still one cell, in a .csv two.
        let bytes: [UInt8] = .ascii("Name\nDoe, John\n")
        #expect(try CSVFixture.cells(bytes, name: "list.TSV") == [["Name"], ["Doe, John"]])
        #expect(try CSVFixture.cells(bytes, name: "list.csv") == [["Name"], ["Doe", " John"]])
    }

    @Test func tsvWithCommasInNamesStaysTab() throws {
        let bytes: [UInt8] = .ascii("name\tphone\nDoe, John\t555\nRoe, Kim\t556\n")
        #expect(try CSVFixture.cells(bytes, name: "x.tsv") == [["name", "phone"], ["Doe, John", "555"], ["Roe, Kim", "556"]])
    }

    @Test func noDelimiterAnywhereMeansOneColumn() throws {
        #expect(try CSVFixture.cells("phone\n4155552671\n") == [["phone"], ["4155552671"]])
    }

    @Test(arguments: ["\n", "\r\n", "\r"], CSVFixture.chunkSizes)
    func sepLineSetsDelimiterAndIsNotARow(lineEnd: String, chunkSize: Int) throws {
        // Commas are consistent in every line, yet `sep=;` decides.
        let text = "sep=;" + lineEnd + "name;note" + lineEnd + "Ann;a,b" + lineEnd + "Bob;c,d" + lineEnd
        let rows = try CSVFixture.rows(.ascii(text), chunkSize: chunkSize)
        #expect(rows.map(\.cells) == [["name", "note"], ["Ann", "a,b"], ["Bob", "c,d"]])
        #expect(rows.map(\.number) == [1, 2, 3])
    }

    @Test func sepLineAfterUTF8BOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + .ascii("sep=|\r\na|b,c\r\n")
        let rows = try CSVFixture.rows(bytes)
        #expect(rows == [SourceRow(number: 1, cells: ["a", "b,c"])])
    }

    @Test func sepLineInUTF16() throws {
        let bytes = CSVFixture.utf16("sep=,\r\na,b\tc\r\n", bigEndian: false)
        #expect(try CSVFixture.rows(bytes) == [SourceRow(number: 1, cells: ["a", "b\tc"])])
    }

    @Test func sepLineAloneIsAnEmptyFile() throws {
        #expect(try CSVFixture.rows(.ascii("sep=;")).isEmpty)
        #expect(try CSVFixture.rows(.ascii("sep=;\r\n")).isEmpty)
    }

    @Test func lookalikeOfSepLineIsARow() throws {
        // Not exactly `sep=` + one character + line end: an ordinary record.
        #expect(try CSVFixture.cells("sep=;;\na;b;c\n") == [["sep=", "", ""], ["a", "b", "c"]])
    }

    @Test func detectorRanksConsistencyFirst() {
        // Pipe appears once in every record; comma twice in one record only.
        let sample: [UInt8] = .ascii("a|b\nc,d,e|f\ng|h\n")
        #expect(DelimiterDetector.choose(sample: sample, complete: true, preferred: ASCII.comma).delimiter == ASCII.pipe)
    }

    @Test func detectorIgnoresRecordCutBySampleEnd() {
        // Complete records say ";"; the unfinished last one (many commas) must not count.
        let sample: [UInt8] = .ascii("a;b\nc;d\ne,f,g,h,i")
        #expect(DelimiterDetector.delimiterCounts(sample, delimiter: ASCII.comma, complete: false) == [0, 0])
        #expect(DelimiterDetector.delimiterCounts(sample, delimiter: ASCII.comma, complete: true) == [0, 0, 4])
        #expect(DelimiterDetector.choose(sample: sample, complete: false, preferred: ASCII.comma).delimiter == ASCII.semicolon)
    }
}
