import DropdialTestKit
import Testing
@testable import DropdialReaders

/// Multi-megabyte inputs read in chunks: every quote, CRLF and multi-byte character that lands on a
/// read boundary must come out exactly as written, and no record may be lost or added.
@Suite struct CSVStreamingTests {
    /// Record `i` of a generated contact list: plain, quoted, multi-line and non-ASCII cells mixed.
    static func record(_ i: Int) -> [String] {
        var note = "plain \(i)"
        if i % 7 == 0 { note = "two\r\nlines, \"quoted\" \(i)" }
        if i % 11 == 0 { note = "" }
        let name = i % 5 == 0 ? "Zoë 東京 😀 \(i)" : "Name \(i)"
        return [name, "+1 415 555 \(String(i % 10_000))", note, " spaced ", "\(i * 31 % 997)", "a\"b", "end"]
    }

    /// RFC 4180 writing: quote a cell holding the delimiter, a quote or a line break; double the quotes.
    static func encode(_ cells: [String], delimiter: Character) -> String {
        cells.map { cell in
            if cell.contains(delimiter) || cell.contains("\"") || cell.contains("\n") || cell.contains("\r") {
                return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return cell
        }.joined(separator: String(delimiter))
    }

    /// The whole file: header plus `count` records; line ends alternate CRLF and LF.
    static func file(count: Int, delimiter: Character) -> (text: String, expected: [[String]]) {
        let header = ["name", "phone", "note", "pad", "n", "q", "last"]
        var expected = [header]
        var text = encode(header, delimiter: delimiter) + "\r\n"
        for i in 0..<count {
            let cells = record(i)
            expected.append(cells)
            text += encode(cells, delimiter: delimiter) + (i % 2 == 0 ? "\r\n" : "\n")
        }
        return (text, expected)
    }

    @Test(arguments: [4093, 65_537, CSVRowSource.defaultChunkSize])
    func multiMegabyteUTF8RoundTrips(chunkSize: Int) throws {
        let (text, expected) = Self.file(count: 50_000, delimiter: ",")
        let bytes: [UInt8] = .ascii(text)
        #expect(bytes.count > 3_000_000)
        let rows = try CSVFixture.rows(bytes, chunkSize: chunkSize)
        #expect(rows.count == expected.count)
        #expect(rows.map(\.cells) == expected)
        #expect(rows.map(\.number) == Array(1...expected.count))
    }

    @Test(arguments: [4093, CSVRowSource.defaultChunkSize])
    func multiMegabyteUTF16RoundTrips(chunkSize: Int) throws {
        // Odd chunk size: most reads end in the middle of a code unit, some inside a surrogate pair.
        let (text, expected) = Self.file(count: 20_000, delimiter: "\t")
        let bytes = CSVFixture.utf16(text, bigEndian: false)
        #expect(bytes.count > 2_000_000)
        let rows = try CSVFixture.rows(bytes, chunkSize: chunkSize)
        #expect(rows.map(\.cells) == expected)
    }

    @Test(arguments: [4093, CSVRowSource.defaultChunkSize])
    func multiMegabyteWindows1252RoundTrips(chunkSize: Int) throws {
        // Every record holds "Müller" (0xFC) and "€" (0x80) and a quoted CRLF.
        var bytes: [UInt8] = .ascii("name;price;note\r\n")
        var count = 0
        while bytes.count < 2_500_000 {
            bytes += .ascii("M") + [0xFC] + .ascii("ller \(count);") + [0x80] + .ascii("\(count);\"a\r\nb;\"\"c\"\"\"\r\n")
            count += 1
        }
        let rows = try CSVFixture.rows(bytes, chunkSize: chunkSize)
        #expect(rows.count == count + 1)
        for (index, row) in rows.dropFirst().enumerated() {
            guard row.cells == ["Müller \(index)", "€\(index)", "a\r\nb;\"c\""] else {
                Issue.record("record \(row.number): \(row.cells)")
                break
            }
        }
    }

    @Test func crlfSplitAcrossEveryBoundary() throws {
        // With chunk sizes 1...9 every position of "\r\n" relative to a read boundary occurs.
        let text = "ab,c\r\n\"d\r\ne\",f\r\n\r\ng,h\r\n"
        for chunkSize in 1...9 {
            let rows = try CSVFixture.rows(.ascii(text), chunkSize: chunkSize)
            #expect(rows == [
                SourceRow(number: 1, cells: ["ab", "c"]),
                SourceRow(number: 2, cells: ["d\r\ne", "f"]),
                SourceRow(number: 3, cells: []),
                SourceRow(number: 4, cells: ["g", "h"]),
            ], "chunk size \(chunkSize)")
        }
    }
}
