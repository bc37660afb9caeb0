import DropdialImport
import DropdialPickup
import Foundation

/// The daemon's inboxes as the upload routes reach them (the seam between the server and the
/// pickup services, which live above it): an upload is staged in its inbox's work folder, then
/// handed to that inbox's pickup, which takes it through the drop pipeline in turn with the
/// files dropped there (SPEC §8).
public protocol UploadDesk: Sendable {
    /// A new staged file in `inbox`'s work folder; nil while that inbox is not watched (it is
    /// starting, or its folder is gone), which the client may retry.
    func stage(inbox: String) throws -> StagedUpload?
    /// Claims and imports a completely written upload; returns once it is committed or
    /// rejected and archived with its report.
    func submit(_ staged: StagedUpload, clientName: String, manifest: Data?) async -> UploadResult
}

/// What became of an upload handed to its inbox.
public enum UploadResult: Sendable {
    /// Imported, a duplicate, rejected or failed: archived with this report.
    case finished(ImportReport)
    /// Claimed, but a passing fault (the database busy, the daemon stopping) holds it: it is
    /// imported later without the client, so sending it again gives `duplicate`.
    case kept(reason: String)
    /// It could not be claimed; nothing of it is kept.
    case refused(reason: String)
}
