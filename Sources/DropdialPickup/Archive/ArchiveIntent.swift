import Foundation

/// The plan of one archive move, written to the work folder before anything moves, so a restart
/// can finish it (``Archive/resume(_:)``) instead of guessing.
///
/// Stored as `<claimedName>.archive.json` beside the claimed file.
public struct ArchiveIntent: Sendable, Hashable {
    public var claimed: ClaimedFile
    public var destination: Destination
    public var finalName: String
    public var hasErrors: Bool

    static let suffix = ".archive.json"

    struct Record: Codable {
        var version = 1
        var seq: String
        var originalName: String
        var size: Int64
        var hasManifest: Bool
        var destination: Destination
        var finalName: String
        var hasErrors: Bool
    }

    /// Where the intent is stored.
    var path: String { FileSystem.join(claimed.folders.work, claimed.claimedName + Self.suffix) }
    /// The report staged in the work folder before the move.
    var stagedReport: String { FileSystem.join(claimed.folders.work, claimed.claimedName + PickupNames.reportSuffix) }
    /// The errors CSV staged in the work folder before the move.
    var stagedErrors: String { FileSystem.join(claimed.folders.work, claimed.claimedName + PickupNames.errorsSuffix) }

    func encoded() -> Data {
        let r = Record(seq: claimed.seq, originalName: claimed.originalName, size: claimed.size,
                       hasManifest: claimed.hasManifest, destination: destination,
                       finalName: finalName, hasErrors: hasErrors)
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? e.encode(r)) ?? Data()
    }

    static func read(path: String, folders: InboxFolders) throws(PickupError) -> ArchiveIntent {
        let r: Record
        do {
            r = try JSONDecoder().decode(Record.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .badIntent(path: path, reason: "\(error)")
        }
        let claimed = ClaimedFile(folders: folders, seq: r.seq, originalName: r.originalName,
                                  size: r.size, hasManifest: r.hasManifest)
        return ArchiveIntent(claimed: claimed, destination: r.destination, finalName: r.finalName, hasErrors: r.hasErrors)
    }
}
