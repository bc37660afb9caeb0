import DropdialTestKit
@testable import DropdialImport
import DropdialConfig
import DropdialReaders
import Foundation

/// The field a manifest is refused for (`"<root>"` for the whole text), or nil when it is accepted.
func refusedManifestField(_ json: String) -> String? {
    do {
        _ = try Manifest(json: Data(json.utf8))
        return nil
    } catch {
        return error.field ?? "<root>"
    }
}
