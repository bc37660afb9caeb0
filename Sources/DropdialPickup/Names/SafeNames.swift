/// Names as the daemon may use them: every name a folder can hold ends archived with a report,
/// so names too long for the daemon's companions are shortened, bytes that are not UTF-8 are
/// escaped, and names are escaped before they reach a log line.
extension PickupNames {
    /// The longest name (in UTF-8 bytes) a file keeps when archived. With ` (10000)`, `.report.json`
    /// or the claim's `<seq>-` added it still fits the 255-byte limit of Linux filesystems.
    public static let maxNameBytes = 200

    /// `name`, or when it is over ``maxNameBytes`` its stem cut on a character boundary and marked
    /// with `…`, the extension kept so the file still reads as the same type.
    public static func shortened(_ name: String) -> String {
        guard name.utf8.count > maxNameBytes else { return name }
        let ext = fileExtension(name).map { "." + $0 } ?? ""
        let keptExt = ext.utf8.count <= 16 ? ext : ""
        let stemSource = keptExt.isEmpty ? name : stem(name)
        let budget = maxNameBytes - keptExt.utf8.count - "…".utf8.count
        var stem = ""
        var used = 0
        for c in stemSource {
            let n = String(c).utf8.count
            if used + n > budget { break }
            stem.append(c)
            used += n
        }
        return stem + "…" + keptExt
    }

    /// A name of bytes that are not UTF-8, as text: each byte of an invalid sequence is written
    /// `%XX`, the valid parts kept (a literal `%` stays as it is).
    public static func escapedName(_ bytes: [UInt8]) -> String {
        var out = ""
        var i = 0
        while i < bytes.count {
            // The longest valid UTF-8 sequence starting here, else one escaped byte.
            var matched = false
            for length in (1...4).reversed() where i + length <= bytes.count {
                if let s = String(validating: bytes[i..<(i + length)], as: UTF8.self), s.unicodeScalars.count == 1 {
                    out += s
                    i += length
                    matched = true
                    break
                }
            }
            if !matched {
                out += "%" + String(bytes[i], radix: 16, uppercase: true).leftPadded(to: 2)
                i += 1
            }
        }
        return out
    }

    /// A name made safe for one log line or a text table: control characters (newlines, escape
    /// sequences, tabs…) are written as `\u{1B}`, so a name can neither forge a line nor drive a terminal.
    public static func printable(_ name: String) -> String {
        var out = ""
        for scalar in name.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// True when `name` is one path component the daemon may create: not empty, `.` or `..`, no
    /// `/` or NUL, at most 255 bytes.
    public static func isSingleComponent(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".." && !name.utf8.contains(0x2F) && !name.utf8.contains(0)
            && name.utf8.count <= 255
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
