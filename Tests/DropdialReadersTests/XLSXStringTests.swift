import DropdialTestKit
import DropdialReaders
import Testing

/// Text cells: shared strings, inline strings, formula strings, booleans, errors, escapes.
@Suite struct XLSXStringTests {
    @Test func sharedStringsJoinRichRunsAndSkipPhoneticRuns() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>
            """, sharedStrings: [
                "<si><t>Name</t></si>",
                "<si><r><rPr><b/></rPr><t>Ana </t></r><r><rPr><i/></rPr><t>López</t></r></si>",
                #"<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1" type="noConversion"/></si>"#,
            ])
        #expect(try readCells(book) == [["Name", "Ana López", "東京"]])
    }

    @Test func inlineStringsPlainAndRich() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="inlineStr"><is><t>plain</t></is></c><c r="B1" t="inlineStr"><is><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r><rPh sb="0" eb="1"><t>x</t></rPh></is></c></row>
            """)
        #expect(try readCells(book) == [["plain", "rich"]])
    }

    /// SPEC §4 (issue 14): an inline-string cell reads its `<is>` text only; a `<v>` beside it,
    /// before or after, is ignored (it printed `1.01.` for `1.`).
    @Test func inlineStringIgnoresAValueBesideIt() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="inlineStr"><is><t>1.</t></is><v>1.0</v></c><c r="B1" t="inlineStr"><v>x</v><is><t>after</t></is></c><c r="C1" t="inlineStr"><v>only a value</v></c></row>
            """)
        #expect(try readCells(book) == [["1.", "after"]])
    }

    @Test func xmlSpacePreserveKeepsLeadingAndTrailingSpaces() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t xml:space="preserve">  two  </t></is></c><c r="C1" t="s"><v>1</v></c></row>
            """, sharedStrings: [
                #"<si><t xml:space="preserve"> lead and trail </t></si>"#,
                #"<si><r><t xml:space="preserve">Ana </t></r><r><t xml:space="preserve"> </t></r><r><t>Li</t></r></si>"#,
            ])
        #expect(try readCells(book) == [[" lead and trail ", "  two  ", "Ana  Li"]])
    }

    @Test func escapesAreDecoded() throws {
        // _x000D_ is CR, _x005F_ protects a literal "_x000D_", a surrogate pair is one scalar,
        // and text that merely looks similar is left alone.
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>tab_x0009_here</t></is></c><c r="D1" t="str"><f>A1</f><v>x_x000A_y</v></c><c r="E1" t="s"><v>2</v></c><c r="F1" t="s"><v>3</v></c></row>
            """, sharedStrings: [
                "<si><t>line1_x000D__x000A_line2</t></si>",
                "<si><t>_x005F_x000D_</t></si>",
                "<si><t>smile _xD83D__xDE00_</t></si>",
                "<si><t>_x12_ and _xZZZZ_ and snake_case</t></si>",
            ])
        #expect(try readCells(book) == [["line1\r\nline2", "_x000D_", "tab\there", "x\ny", "smile 😀", "_x12_ and _xZZZZ_ and snake_case"]])
    }

    @Test func formulaStringBooleanAndErrorCells() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="B1" t="b"><v>1</v></c><c r="C1" t="b"><v>0</v></c><c r="D1" t="e"><v>#N/A</v></c><c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>
            """)
        #expect(try readCells(book) == [["ab", "TRUE", "FALSE", "#N/A", "#DIV/0!"]])
    }

    @Test func formulasUseTheirCachedValue() throws {
        // C1's formula has no cached value: "" (a gap, since D1 and E1 follow).
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>UPPER("x")</f><v>X</v></c><c r="C1"><f>NOW()</f></c><c r="D1" t="b"><f>TRUE()</f><v>1</v></c><c r="E1" t="e"><f>NA()</f><v>#N/A</v></c><c r="F1" t="s"><f>A1</f><v>0</v></c></row>
            """, sharedStrings: ["<si><t>shared</t></si>"])
        #expect(try readCells(book) == [["2", "X", "", "TRUE", "#N/A", "shared"]])
    }

    @Test func entitiesAndCharacterReferencesInText() throws {
        let book = XLSXBuilder.workbook(rows: """
            <row r="1"><c r="A1" t="inlineStr"><is><t>O&apos;Brien &amp; Sons &lt;x&gt; &#233;&#x1F600;</t></is></c><c r="B1" t="inlineStr"><is><t><![CDATA[a<b]]></t></is></c></row>
            """)
        #expect(try readCells(book) == [["O'Brien & Sons <x> é😀", "a<b"]])
    }

    @Test func unknownSharedStringIndexIsAnError() {
        let path = XLSXBuilder.workbook(rows: #"<row r="3"><c r="A3" t="s"><v>7</v></c></row>"#,
                                        sharedStrings: ["<si><t>only</t></si>"]).write()
        #expect(readError(path) == .malformed(row: 3, reason: "shared string 7 does not exist"))
    }
}
