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
    /// The name exactly as it arrived, when the daemon had to shorten it to ``originalName``
    /// (over ``PickupNames/maxNameBytes``); the report keeps it.
    public var receivedName: String?

    public init(folders: InboxFolders, seq: String, originalName: String, size: Int64, hasManifest: Bool,
                receivedName: String? = nil) {
        self.folders = folders
        self.seq = seq
        self.originalName = originalName
        self.size = size
        self.hasManifest = hasManifest
        self.receivedName = receivedName
    }

    /// The daemon's own files about this claim live in the work folder under `<seq>.<kind>`:
    /// never a claimed name (those have a `-` after the 16 digits), so no uploaded file can pass
    /// for one, and short whatever the file's name.
    public func statePath(_ kind: StateFile) -> String { FileSystem.join(folders.work, seq + kind.rawValue) }

    /// The kinds of state file, by suffix.
    public enum StateFile: String, Sendable, CaseIterable {
        /// The received name, when it had to be shortened.
        case claim = ".claim.json"
        /// The archive plan (``ArchiveIntent``).
        case intent = ".archive.json"
        case report = ".report.json"
        case errors = ".errors.csv"
        /// The errors workbook, written there as the import rejects rows.
        case workbook = ".errors.xlsx"
    }

    /// `(seq, kind)` of a state file name, or nil.
    static func parse(stateName: String) -> (seq: String, kind: StateFile)? {
        let seq = stateName.prefix(16)
        guard seq.count == 16, seq.allSatisfy({ $0.isASCII && $0.isNumber }),
              let kind = StateFile(rawValue: String(stateName.dropFirst(16))) else { return nil }
        return (String(seq), kind)
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
