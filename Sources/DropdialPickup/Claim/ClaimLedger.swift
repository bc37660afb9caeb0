/// Where a claim's sequence number is reserved before anything is renamed, when other processes
/// share the work folder (SPEC §11: nodes watching one folder on shared storage). The rename into
/// the work folder decides who took the inbox entry; the ledger — a row in the shared database,
/// only one node can win — decides who works on the claim, so a recovery pass on another node
/// never takes a claim (or a manifest between its two renames) that a live node is still on.
public struct ClaimLedger: Sendable {
    /// Reserves `seq` for this process: `true` when it holds it, `false` when another process
    /// does (the claim then takes the next number), `nil` when the ledger cannot be reached (the
    /// claim goes ahead; the owner is settled when the file is processed).
    public var reserve: @Sendable (_ seq: String) -> Bool?

    public init(reserve: @escaping @Sendable (_ seq: String) -> Bool?) {
        self.reserve = reserve
    }

    /// One process per work folder: every number is free.
    public static let local = ClaimLedger { _ in true }
}
