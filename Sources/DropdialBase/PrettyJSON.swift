import Foundation

/// JSON written by hand in exactly `JSONStyle.encoder()`'s pretty form (two-space indent,
/// `"key" : value`, an empty list as `[` blank line `]`, instants as `Timestamp.iso8601`), for
/// answers served so often that Foundation's generic encoder was their largest cost (a
/// batch-details page). The caller writes an object's keys in sorted order; a test holds each
/// hand-written type to `JSONStyle.encoder()`'s bytes.
public struct PrettyJSON {
    public private(set) var text = ""
    private var depth = 0
    /// Per open container: nothing written in it yet.
    private var empty: [Bool] = []

    public init() {}

    /// `{ … }`; `body` writes its members with ``key(_:)`` then a value.
    public mutating func object(_ body: (inout PrettyJSON) -> Void) {
        open("{")
        body(&self)
        close("}")
    }

    /// `[ … ]`; `body` writes each item with ``item()`` then a value.
    public mutating func array(_ body: (inout PrettyJSON) -> Void) {
        open("[")
        body(&self)
        close("]")
    }

    /// An object member's name; its value follows.
    public mutating func key(_ name: String) {
        separate()
        JSONEscape.appendString(name, to: &text)
        text += " : "
    }

    /// The next item of an array; its value follows.
    public mutating func item() { separate() }

    public mutating func string(_ s: String?) {
        if let s { JSONEscape.appendString(s, to: &text) } else { text += "null" }
    }

    public mutating func int(_ n: Int?) { text += n.map { String($0) } ?? "null" }
    public mutating func int64(_ n: Int64?) { text += n.map { String($0) } ?? "null" }

    /// As Foundation writes a `Double`: integral values without a fraction.
    public mutating func double(_ d: Double?) {
        guard let d else { return text += "null" }
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { text += String(Int64(d)) } else { text += "\(d)" }
    }

    public mutating func date(_ d: Date?) { string(d.map(Timestamp.iso8601)) }

    /// A value already written in this style at depth 0 (`JSONStyle.encoder()`'s output), indented
    /// to where it goes.
    public mutating func fragment(_ pretty: String) {
        let indent = String(repeating: "  ", count: depth)
        text += indent.isEmpty ? pretty : pretty.replacingOccurrences(of: "\n", with: "\n" + indent)
    }

    /// A value already written in this style and indented for where it goes.
    public mutating func raw(_ text: String) { self.text += text }

    /// A `[String: String]` object, keys sorted as `JSONStyle.encoder()` sorts them.
    public mutating func stringObject(_ dict: [String: String]) {
        object { o in
            for k in dict.keys.sorted(by: PrettyJSON.keyOrder) {
                o.key(k)
                o.string(dict[k])
            }
        }
    }

    /// The order of `.sortedKeys`: by UTF-8 bytes.
    public static func keyOrder(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }

    private mutating func open(_ bracket: String) {
        text += bracket
        depth += 1
        empty.append(true)
    }

    private mutating func close(_ bracket: String) {
        depth -= 1
        text += (empty.removeLast() ? "\n\n" : "\n") + String(repeating: "  ", count: depth) + bracket
    }

    private mutating func separate() {
        text += empty[empty.count - 1] ? "\n" : ",\n"
        empty[empty.count - 1] = false
        text += String(repeating: "  ", count: depth)
    }
}
