/// A file renamed into the work folder, owned by the daemon until it is archived.
///
/// The claimed name is `<seq>-<original name>`: `seq` is 16 digits (microseconds since 1970 when
/// claimed, bumped on collision), so names sort in claim order and the original name is recoverable.
public struct ClaimedFile: Sendable, Hashable {
    public var folders: InboxFolders
    public var seq: String
    /// The name it had in the inbox, e.g. `contacts.csv`.
    public var originalName: String
    /// Size at claim time, from `lstat` after the rename.
    public var size: Int64
    /// The manifest claimed with it (`<seq>-contacts.batch.json`), if one was in the inbox.
    public var hasManifest: Bool

    public init(folders: InboxFolders, seq: String, originalName: String, size: Int64, hasManifest: Bool) {
        self.folders = folders
        self.seq = seq
        self.originalName = originalName
        self.size = size
        self.hasManifest = hasManifest
    }

    /// `<seq>-<originalName>`.
    public var claimedName: String { seq + "-" + originalName }
    /// Where the data file is now: read it from here.
    public var claimedPath: String { FileSystem.join(folders.work, claimedName) }
    /// The manifest's original name (`contacts.batch.json`).
    public var manifestOriginalName: String { PickupNames.manifestName(for: originalName) }
    /// Where the claimed manifest is, if any.
    public var manifestPath: String? {
        hasManifest ? FileSystem.join(folders.work, seq + "-" + manifestOriginalName) : nil
    }
    /// True when the extension is one the readers accept; otherwise the caller archives it to `failed/`.
    public var isAcceptedFormat: Bool { PickupNames.isAcceptedData(originalName) }

    /// Splits a claimed name into (seq, original name); nil when it is not one.
    public static func parse(claimedName: String) -> (seq: String, originalName: String)? {
        guard let dash = claimedName.firstIndex(of: "-") else { return nil }
        let seq = claimedName[..<dash]
        let rest = claimedName[claimedName.index(after: dash)...]
        guard seq.count == 16, seq.allSatisfy({ $0.isASCII && $0.isNumber }), !rest.isEmpty else { return nil }
        return (String(seq), String(rest))
    }
}
