/// A phone number as it may appear in a log line (SPEC §12): the `+`, the first four digits and the
/// last two kept, every other digit `*` — `+14155550132` is `+1415*****32`. The full number never
/// reaches a log.
public struct MaskedNumber: Sendable, CustomStringConvertible {
    public let description: String

    public init(_ number: String) {
        let digits = number.filter(\.isASCII).filter(\.isNumber)
        var out = number.hasPrefix("+") ? "+" : ""
        for (i, d) in digits.enumerated() {
            out.append(i < 4 || i >= digits.count - 2 ? d : "*")
        }
        description = out
    }
}
