/// What the pickup does with a name found in an inbox: leave it alone, or take it.
///
/// `.take` does not mean "importable": a taken file with an unaccepted extension still goes to
/// `failed/` with a report (SPEC §3); the caller decides that with ``PickupNames/isAcceptedData(_:)``.
public enum NameClass: Sendable, Hashable {
    /// In flight, the daemon's own, or a manifest (read with its data file): never touched.
    case ignore
    /// A file to claim.
    case take
}
