import DropdialPickup
import DropdialServer
import Foundation

/// The inboxes taking uploads now, as the HTTP server sees them (``UploadDesk``). Each inbox's
/// pickup service opens its desk while it watches the inbox and closes it when it stops; an
/// upload is imported on that inbox's own queue, in turn with the files dropped there.
public final class InboxUploads: UploadDesk, @unchecked Sendable {
    struct Desk: Sendable {
        var folders: InboxFolders
        var take: @Sendable (StagedUpload, String, Data?) async -> FileProcessor.Outcome
    }

    public init() {}

    private let lock = NSLock()
    private var desks: [String: Desk] = [:]

    func open(_ inbox: String, _ desk: Desk) { lock.withLock { desks[inbox] = desk } }
    func close(_ inbox: String) { _ = lock.withLock { desks.removeValue(forKey: inbox) } }
    private func desk(_ inbox: String) -> Desk? { lock.withLock { desks[inbox] } }

    public func stage(inbox: String) throws -> StagedUpload? {
        guard let desk = desk(inbox) else { return nil }
        return try UploadStaging.create(in: desk.folders)
    }

    public func submit(_ staged: StagedUpload, clientName: String, manifest: Data?) async -> UploadResult {
        guard let desk = desks(for: staged) else {
            UploadStaging.discard(staged)
            return .refused(reason: "the inbox stopped being watched during the upload; send it again")
        }
        switch await desk.take(staged, clientName, manifest) {
        case .archived(let report): return .finished(report)
        case .heldBack(let reason): return .kept(reason: reason)
        case .refused(let reason): return .refused(reason: reason)
        }
    }

    /// The desk of the inbox `staged` was made in, if it is still the same watch.
    private func desks(for staged: StagedUpload) -> Desk? {
        lock.withLock { desks.values.first { $0.folders == staged.folders } }
    }
}
