import DropdialWriters
import Testing

/// CSV cells for a spreadsheet, one by one: formula neutralization (SPEC §10), then quoting.
@Suite struct CSVCellsTests {
    /// Issue 11 case 13: these reached a person's spreadsheet verbatim.
    @Test(arguments: [
        "=HYPERLINK(\"http://x\",\"y\")", "=cmd|' /C calc'!A0", "@SUM(A1:A2)", "-2+3", "+14155550132",
        "\tlead", "\rlead", "=", "+",
    ])
    func aFormulaCellGetsOneLeadingQuote(cell: String) {
        #expect(CSVCells.neutralized(cell) == "'" + cell)
    }

    @Test(arguments: ["4155550132", "Ada", "", " =1+1", "'=already text", "a=b", "(415) 555-0132", "é=1"])
    func otherCellsAreKeptAsTheyAre(cell: String) {
        #expect(CSVCells.neutralized(cell) == cell)
    }

    @Test func fieldsAreNeutralizedThenQuoted() {
        #expect(CSVCells.field("=HYPERLINK(\"http://x\",\"y\")") == "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        #expect(CSVCells.field("-1,5") == "\"'-1,5\"")
        #expect(CSVCells.field("\rx") == "\"'\rx\"", "a carriage return is quoted too")
        #expect(CSVCells.field("a\r\nb") == "\"a\r\nb\"", "a CR LF pair (one Character) is quoted")
        #expect(CSVCells.field("\tx") == "\"'\tx\"", "a tab, like ; and |, is quoted so the file reads with commas")
        #expect(CSVCells.field("a;b|c") == "\"a;b|c\"")
        #expect(CSVCells.field("plain") == "plain")
    }
}
