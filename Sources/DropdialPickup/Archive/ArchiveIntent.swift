import Foundation

/// The plan of one archive move, written to the work folder before anything moves, so a restart
/// can finish it (``Archive/resume(_:)``) instead of guessing.
///
/// Stored as `<seq>.archive.json` in the work folder, which only the daemon can write: a state
/// name no claimed file can have. Reading one never trusts it further than that: every name in it
/// must be a single path component, `finalName` one of the names the archive would choose for
/// `originalName`, so even a forged plan can only move the claim's own files into its own folders.
public struct ArchiveIntent: Sendable, Hashable {
    public var claimed: ClaimedFile
    public var destination: Destination
    public var finalName: String
    public var hasErrors: Bool
    /// True when `NAME.errors.xlsx` was staged too.
    public var hasWorkbook: Bool = false

    public init(claimed: ClaimedFile, destination: Destination, finalName: String, hasErrors: Bool, hasWorkbook: Bool = false) {
        self.claimed = claimed
        self.destination = destination
        self.finalName = finalName
        self.hasErrors = hasErrors
        self.hasWorkbook = hasWorkbook
    }

    struct Record: Codable {
        var version = 1
        var seq: String
        var originalName: String
        var size: Int64
        var hasManifest: Bool
        var destination: Destination
        var finalName: String
        var hasErrors: Bool
        /// Absent in plans written before the errors workbook.
        var hasWorkbook: Bool?
        var receivedName: String?
    }

    /// Where the intent is stored.
    var path: String { claimed.statePath(.intent) }
    /// The report staged in the work folder before the move.
    var stagedReport: String { claimed.statePath(.report) }
    /// The errors CSV staged in the work folder before the move.
    var stagedErrors: String { claimed.statePath(.errors) }
    /// The errors workbook, written in the work folder during the import.
    var stagedWorkbook: String { claimed.statePath(.workbook) }

    func encoded() -> Data {
        let r = Record(seq: claimed.seq, originalName: claimed.originalName, size: claimed.size,
                       hasManifest: claimed.hasManifest, destination: destination,
                       finalName: finalName, hasErrors: hasErrors, hasWorkbook: hasWorkbook,
                       receivedName: claimed.receivedName)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(r)) ?? Data()
    }

    static func read(path: String, seq: String, folders: InboxFolders) throws(PickupError) -> ArchiveIntent {
        let r: Record
        do {
            guard let st = FileSystem.lstatInfo(path), st.st_mode & S_IFMT == S_IFREG, st.st_size < 64 * 1024 else {
                throw PickupError.badIntent(path: folders.display(path), reason: "not a small regular file")
            }
            r = try JSONDecoder().decode(Record.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let e as PickupError {
            throw e
        } catch {
            throw .badIntent(path: folders.display(path), reason: "\(error)")
        }
        guard r.seq == seq else { throw .badIntent(path: folders.display(path), reason: "it names another claim (\(r.seq))") }
        guard PickupNames.isSingleComponent(r.originalName), r.originalName.utf8.count <= PickupNames.maxNameBytes,
              PickupNames.isSingleComponent(r.finalName), UniqueName.isCandidate(r.finalName, of: r.originalName)
        else {
            throw .badIntent(path: folders.display(path), reason: "its names are not the claim's own (\"\(PickupNames.printable(r.originalName))\" → \"\(PickupNames.printable(r.finalName))\")")
        }
        let claimed = ClaimedFile(folders: folders, seq: r.seq, originalName: r.originalName,
                                  size: r.size, hasManifest: r.hasManifest, receivedName: r.receivedName)
        return ArchiveIntent(claimed: claimed, destination: r.destination, finalName: r.finalName, hasErrors: r.hasErrors,
                             hasWorkbook: r.hasWorkbook ?? false)
    }
}
