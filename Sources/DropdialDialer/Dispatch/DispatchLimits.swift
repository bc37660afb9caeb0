/// Concurrency limits per batch and per calling number (0 = unlimited).
public struct DispatchLimits: Sendable, Equatable {
    public var perBatch: Int
    public var perNumber: Int

    public init(perBatch: Int, perNumber: Int) {
        self.perBatch = perBatch
        self.perNumber = perNumber
    }

    public static let unlimited = DispatchLimits(perBatch: 0, perNumber: 0)
}
