/// Renders cell values as text the way SPEC §4 prescribes, shared by the XLSX and XLS readers.
public enum CellText {
    /// An integral value with |v| < 1e15 prints as its digits; anything else as the shortest
    /// decimal that round-trips (Swift's `description`).
    public static func number(_ value: Double) -> String {
        if value.isNaN { return "#NUM!" }
        if value.isInfinite { return "#NUM!" }
        if abs(value) < 1e15, value == value.rounded(.towardZero) {
            return String(Int64(value))
        }
        return value.description
    }
}
