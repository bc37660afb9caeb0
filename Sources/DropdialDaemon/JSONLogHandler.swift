import DropdialBase
import DropdialImport
import Foundation
import Logging

/// `[log] format = "json"`: one JSON object per line on stderr — `time` (UTC, milliseconds),
/// `level`, `label`, `message`, then every metadata key as a string — for log collectors.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .info
    let label: String
    private static let lock = NSLock()

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: String] = [:]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = "\(value)"
        }
        object["time"] = Timestamp.iso8601(Date())
        object["level"] = event.level.rawValue
        object["label"] = label
        object["message"] = "\(event.message)"
        guard var line = try? JSONStyle.encoder(pretty: false).encode(object) else { return }
        line.append(0x0A)
        Self.lock.lock()
        FileHandle.standardError.write(line)
        Self.lock.unlock()
    }
}
