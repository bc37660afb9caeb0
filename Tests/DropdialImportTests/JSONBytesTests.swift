import DropdialTestKit
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

/// The ASCII fast path of `trimmingWhitespace` must agree with trimming by Character.
@Suite struct TrimmingTests {
    static func slow(_ s: Substring) -> Substring {
        var s = s
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return s
    }

    @Test func sameAsCharacterTrimming() {
        let parts = ["", " ", "\t", "\r\n", "\u{A0}", "\u{3000}", "\u{2028}", "a", "Z", "1", "'", "é", "e\u{301}",
                     "\u{600}1", "👩‍👩‍👧", "\u{85}", "x y", "\u{7F}", "\u{1}"]
        for a in parts { for b in parts { for c in parts {
            let s = a + b + c
            #expect(s.trimmingWhitespace == Self.slow(s[...]), "\(s.unicodeScalars.map { $0.value })")
        } } }
    }
}
