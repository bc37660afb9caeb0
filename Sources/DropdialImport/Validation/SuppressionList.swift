/// The do-not-call numbers an import or `add-calls` leaves out, as a sorted array of digit keys
/// (8 bytes a number, binary search): a list of millions costs tens of MB, an empty one nothing.
public struct SuppressionList: Sendable {
    private let keys: [UInt64]

    public init(numbers: [String]) {
        keys = numbers.map(RowPipeline.dedupeKey).sorted()
    }

    public static let empty = SuppressionList(numbers: [])

    public var isEmpty: Bool { keys.isEmpty }

    /// True when the E.164 number is listed.
    public func contains(_ e164: String) -> Bool {
        guard !keys.isEmpty else { return false }
        let key = RowPipeline.dedupeKey(e164)
        var low = 0, high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low < keys.count && keys[low] == key
    }
}
