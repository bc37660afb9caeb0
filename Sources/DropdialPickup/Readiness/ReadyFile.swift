/// A name ``Readiness`` hands over for claiming, and why now.
public struct ReadyFile: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// Renamed, moved or linked in: complete on arrival.
        case arrivedComplete
        /// Written in place (or found at startup) and unchanged for the settle time.
        case settled
        /// An `.xlsx` still without its zip end record after the wait cap: handed over so the
        /// reader reports it corrupt instead of it waiting forever.
        case zipWaitCapReached
        /// A symlink, folder or device: handed over at once so the claim refuses it (and the caller logs it).
        case notRegular
    }

    public var name: String
    public var reason: Reason

    public init(name: String, reason: Reason) {
        self.name = name
        self.reason = reason
    }
}
