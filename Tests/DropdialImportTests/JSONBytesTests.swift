@testable import DropdialImport
import Testing

/// The byte-level variables writer must print exactly what the String-based one prints.
@Suite struct JSONBytesTests {
    static let samples = ["", "plain", "Zoë", "O'Brien", "Smith, Jr.", "say \"hi\"", "back\\slash", "tab\there",
                          "line\nbreak\r\n", "\u{01}\u{1F}\u{7F}", "emoji 👩‍👩‍👧 and e\u{301}", "中文", "\"", "\\"]

    @Test func sameTextAsJSONText() {
        for key in Self.samples {
            var old = JSONText()
            var new = JSONBytes()
            old.beginObject()
            new.beginObject()
            for value in Self.samples {
                old.member(key, value)
                new.member(key, value)
            }
            old.endObject()
            new.endObject()
            #expect(new.text == old.text)
        }
    }
}
