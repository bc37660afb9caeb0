/// `[log]`: how `dropdial run` writes its log lines to stderr (SPEC §12).
public struct LogConfig: Sendable, Hashable, Decodable {
    public enum Format: String, Sendable, Hashable, Decodable {
        /// One readable line per event (swift-log's stream format).
        case text
        /// One JSON object per line: `time`, `level`, `message`, `label`, then every metadata key.
        case json
    }

    public var format: Format

    public init(format: Format = .text) { self.format = format }

    enum Key: String, CodingKey { case format }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        format = try c.decodeIfPresent(Format.self, forKey: .format) ?? .text
    }
}
