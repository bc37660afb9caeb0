import DropdialTestKit
import Testing
@testable import DropdialReaders

/// RFC 4180 quoting read leniently, line endings, and the shape of records (blank, ragged, spaces).
/// Every test runs at several chunk sizes, down to 1 byte, so each construct straddles a read boundary.
@Suite struct CSVQuotingTests {
    @Test(arguments: CSVFixture.chunkSizes)
    func lineEndingsLFCRLFCRAndMixed(chunkSize: Int) throws {
        let expected = [["a", "b"], ["c", "d"], ["e", "f"], ["g", "h"]]
        #expect(try CSVFixture.cells("a,b\nc,d\ne,f\ng,h\n", chunkSize: chunkSize) == expected)
        #expect(try CSVFixture.cells("a,b\r\nc,d\r\ne,f\r\ng,h\r\n", chunkSize: chunkSize) == expected)
        #expect(try CSVFixture.cells("a,b\rc,d\re,f\rg,h\r", chunkSize: chunkSize) == expected)
        #expect(try CSVFixture.cells("a,b\r\nc,d\ne,f\rg,h", chunkSize: chunkSize) == expected)
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func quotedLineBreaksAreKeptAsWritten(chunkSize: Int) throws {
        let text = "name,note\r\n\"Ann\",\"line1\r\nline2\"\r\n\"Bob\",\"x\ny\rz\"\r\n"
        #expect(try CSVFixture.cells(text, chunkSize: chunkSize) == [
            ["name", "note"], ["Ann", "line1\r\nline2"], ["Bob", "x\ny\rz"],
        ])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func doubledQuotesAndEmbeddedDelimiters(chunkSize: Int) throws {
        let text = "\"say \"\"hi\"\"\",\",,,\",\"\"\"\",\"\"\n"
        // 1: say "hi"   2: ,,,   3: a lone "   4: empty quoted
        #expect(try CSVFixture.cells(text, chunkSize: chunkSize) == [[#"say "hi""#, ",,,", "\"", ""]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func lenientQuotes(chunkSize: Int) throws {
        // A quote inside an unquoted field is literal; text after a closing quote is appended literally.
        let text = #"5'10",ab"c,"x"yz,"p" q"# + "\n"
        #expect(try CSVFixture.cells(text, chunkSize: chunkSize) == [[#"5'10""#, #"ab"c"#, "xyz", "p q"]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func spacesAroundUnquotedFieldsAreKept(chunkSize: Int) throws {
        #expect(try CSVFixture.cells(" a , b ,c  \n", chunkSize: chunkSize) == [[" a ", " b ", "c  "]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func raggedRowsAreNeitherPaddedNorCut(chunkSize: Int) throws {
        let text = "a,b,c\n1\n1,2,3,4,5\n1,2\n"
        #expect(try CSVFixture.cells(text, chunkSize: chunkSize) == [["a", "b", "c"], ["1"], ["1", "2", "3", "4", "5"], ["1", "2"]])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func blankLinesAreEmptyRowsAndCount(chunkSize: Int) throws {
        let rows = try CSVFixture.rows(.ascii("h1,h2\n\n\r\n\"\"\n,\na,b\r\r\n"), chunkSize: chunkSize)
        #expect(rows == [
            SourceRow(number: 1, cells: ["h1", "h2"]),
            SourceRow(number: 2, cells: []),  // LF alone
            SourceRow(number: 3, cells: []),  // CRLF alone
            SourceRow(number: 4, cells: [""]),  // only ""
            SourceRow(number: 5, cells: ["", ""]),  // only a delimiter
            SourceRow(number: 6, cells: ["a", "b"]),
            SourceRow(number: 7, cells: []),  // "a,b\r" then "\r\n": one more blank line
        ])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func trailingNewlineOrNot(chunkSize: Int) throws {
        #expect(try CSVFixture.cells("a,b\nc,d", chunkSize: chunkSize) == [["a", "b"], ["c", "d"]])
        #expect(try CSVFixture.cells("a,b\nc,d\n", chunkSize: chunkSize) == [["a", "b"], ["c", "d"]])
        #expect(try CSVFixture.cells("a,b\nc,d\r\n", chunkSize: chunkSize) == [["a", "b"], ["c", "d"]])
        #expect(try CSVFixture.cells("a,b\nc,d\r", chunkSize: chunkSize) == [["a", "b"], ["c", "d"]])
        // A trailing delimiter at EOF is an empty last cell; a closing quote at EOF closes the field.
        #expect(try CSVFixture.cells("a,b\nc,", chunkSize: chunkSize) == [["a", "b"], ["c", ""]])
        #expect(try CSVFixture.cells("a,b\nc,\"d\"", chunkSize: chunkSize) == [["a", "b"], ["c", "d"]])
        // Two newlines at the end: one blank record.
        #expect(try CSVFixture.cells("a,b\n\n", chunkSize: chunkSize) == [["a", "b"], []])
    }

    @Test(arguments: CSVFixture.chunkSizes)
    func multiLineRecordsCountOnce(chunkSize: Int) throws {
        let text = "name,note\n\"Ann\",\"one\ntwo\nthree\"\nBob,\"x\r\ny\"\nCid,z\n"
        let rows = try CSVFixture.rows(.ascii(text), chunkSize: chunkSize)
        #expect(rows.map(\.number) == [1, 2, 3, 4])
        #expect(rows.last?.cells == ["Cid", "z"])
    }

    @Test func emptyFileHasNoRows() throws {
        #expect(try CSVFixture.rows([]).isEmpty)
        #expect(try CSVFixture.rows([0xEF, 0xBB, 0xBF]).isEmpty)  // a BOM alone
        #expect(try CSVFixture.rows([0xFF, 0xFE]).isEmpty)
    }

    @Test func onlyNewlinesAreBlankRows() throws {
        #expect(try CSVFixture.rows(.ascii("\n\n")) == [SourceRow(number: 1, cells: []), SourceRow(number: 2, cells: [])])
    }

    @Test func nextRowAfterEndStaysNil() throws {
        let reader = try CSVFixture.open(.ascii("a\n"))
        #expect(try reader.nextRow() == SourceRow(number: 1, cells: ["a"]))
        #expect(try reader.nextRow() == nil)
        #expect(try reader.nextRow() == nil)
        #expect(reader.sheetName == nil)
        #expect(reader.format == .csv)
    }

    @Test func rowReaderOpensCSVByExtension() throws {
        let path = CSVFixture.write(.ascii("a;b\n"), name: "contacts.TXT")
        defer { CSVFixture.remove(path) }
        let source = try RowReader.open(path: path)
        #expect(try source.nextRow() == SourceRow(number: 1, cells: ["a", "b"]))
    }
}
