/// Sheet bounds and A1-reference parsing.
enum CellReference {
    /// Excel's last column (XFD) and row; references past them are corrupt, and the caps keep a
    /// hostile `r="ZZZZZZ9"` from filling memory with gap cells or billions of gap rows.
    static let maxColumns = 16_384
    static let maxRows = 1_048_576

    /// The 0-based column of an A1 reference (`"C7"` → 2), nil when it has no column letters.
    /// Returns `maxColumns` for anything past XFD.
    @inline(__always)
    static func column(_ ref: UnsafeBufferPointer<UInt8>) -> Int? {
        var column = 0
        var letters = 0
        for c in ref {
            let upper = c & ~0x20
            guard upper >= 65, upper <= 90 else { break }
            column = column * 26 + Int(upper - 64)
            letters += 1
            if column > maxColumns { return maxColumns }
        }
        return letters == 0 ? nil : column - 1
    }

    /// A non-negative decimal integer, nil if `text` is not one (or is absurdly long).
    @inline(__always)
    static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !text.isEmpty, text.count <= 18 else { return nil }
        var v = 0
        for c in text {
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }
}
