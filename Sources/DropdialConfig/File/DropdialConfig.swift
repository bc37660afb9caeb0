import Foundation
import TOMLKit

/// The whole `dropdial.toml`; built-in defaults when the file is absent (SPEC §2).
public struct DropdialConfig: Sendable {
    public var database: String
    /// This daemon's name among the nodes sharing one PostgreSQL database (SPEC §11): kept with
    /// each attempt it places, so a restart takes over its own. Default: the host name.
    public var node: String = ProcessInfo.processInfo.hostName
    /// How long one database statement waits for another process's write lock before giving
    /// up; the daemon then keeps the file claimed and retries it with backoff.
    public var busyTimeoutSeconds: Double = 10
    public var inboxes: [InboxConfig]
    public var dialer: DialerConfig
    public var dnc: DNCConfig
    public var log = LogConfig()
    public var http = HTTPConfig()
    /// `[[compliance]]`: calling rules by country and state, on top of each batch's own (SPEC §9).
    public var compliance: [ComplianceRule] = []

    public init(database: String = "dropdial.sqlite", inboxes: [InboxConfig] = [InboxConfig()],
                dialer: DialerConfig = DialerConfig(), dnc: DNCConfig = DNCConfig()) {
        self.database = database
        self.inboxes = inboxes
        self.dialer = dialer
        self.dnc = dnc
    }

    /// The region do-not-call numbers are read with: `[dnc] region`, else the first inbox's.
    public var dncRegion: String { dnc.region ?? inboxes[0].settings.region }

    /// The inbox called `name`, or the first one when `name` is nil.
    public func inbox(named name: String?) throws(ConfigError) -> InboxConfig {
        guard let name else { return inboxes[0] }
        guard let found = inboxes.first(where: { $0.name == name }) else {
            throw ConfigError(file: "config", key: "inbox",
                              message: "no inbox named \"\(name)\"; known: \(inboxes.map(\.name).joined(separator: ", "))")
        }
        return found
    }

    /// Loads `path`, or `./dropdial.toml` when it exists, or the defaults.
    public static func load(path: String?) throws(ConfigError) -> DropdialConfig {
        let chosen = path ?? "dropdial.toml"
        guard FileManager.default.fileExists(atPath: chosen) else {
            if path != nil { throw ConfigError(file: chosen, key: nil, message: "file not found") }
            return DropdialConfig()
        }
        guard let data = FileManager.default.contents(atPath: chosen),
              let text = String(data: data, encoding: .utf8) else {
            throw ConfigError(file: chosen, key: nil, message: "cannot read the file as UTF-8 text")
        }
        return try parse(text, file: chosen)
    }

    /// Decodes TOML text strictly: unknown keys are errors, so typos do not pass silently.
    public static func parse(_ text: String, file: String = "dropdial.toml") throws(ConfigError) -> DropdialConfig {
        let root: Root
        do {
            root = try TOMLDecoder(strictDecoding: true).decode(Root.self, from: text)
        } catch let e as TOMLParseError {
            throw ConfigError(file: file, key: nil,
                              message: "line \(e.source.begin.line), column \(e.source.begin.column): \(e.description)")
        } catch let e as UnexpectedKeysError {
            let keys = e.keys.map { key, path in Self.format(path.map(\.stringValue).last == key ? path : path + [Name(key)]) }.sorted()
            throw ConfigError(file: file, key: keys.first, message: "unknown key (known keys are listed in dropdial.example.toml)")
        } catch let e as DecodingError {
            throw ConfigError(file: file, key: Self.keyPath(of: e), message: Self.reason(of: e))
        } catch {
            throw ConfigError(file: file, key: nil, message: "\(error)")
        }
        var config = DropdialConfig()
        config.database = root.database ?? config.database
        if let node = root.node {
            guard !node.isEmpty, node.count <= 200, node.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }) else {
                throw ConfigError(file: file, key: "node", message: "\"\(node)\" is not a node name (letters, digits, - _ . only, at most 200)")
            }
            config.node = node
        }
        if let t = root.busy_timeout_seconds?.value {
            guard t > 0, t <= 3600 else {
                throw ConfigError(file: file, key: "busy_timeout_seconds", message: "\(t) is not between 0 and 3600 seconds")
            }
            config.busyTimeoutSeconds = t
        }
        config.dialer = root.dialer ?? config.dialer
        if let (key, message) = config.dialer.problems().first {
            throw ConfigError(file: file, key: "dialer.\(key)", message: message)
        }
        config.log = root.log ?? config.log
        config.http = root.http ?? config.http
        if let (key, message) = config.http.problems().first {
            throw ConfigError(file: file, key: "http.\(key)", message: message)
        }
        config.compliance = root.compliance ?? []
        var ruleNames = Set<String>()
        for (i, rule) in config.compliance.enumerated() {
            if let (key, message) = rule.problems().first {
                throw ConfigError(file: file, key: "compliance[\(i)].\(key)", message: message)
            }
            if !ruleNames.insert(rule.name).inserted {
                throw ConfigError(file: file, key: "compliance[\(i)].name", message: "\"\(rule.name)\" is used by two rules")
            }
        }
        config.dnc = root.dnc ?? config.dnc
        if let (key, message) = config.dnc.problems().first {
            throw ConfigError(file: file, key: "dnc.\(key)", message: message)
        }
        if let inboxes = root.inbox {
            guard !inboxes.isEmpty else { throw ConfigError(file: file, key: "inbox", message: "list at least one [[inbox]]") }
            config.inboxes = inboxes
        }
        var names = Set<String>()
        for (i, inbox) in config.inboxes.enumerated() {
            if let (key, message) = inbox.problems().first {
                throw ConfigError(file: file, key: "inbox[\(i)].\(key)", message: message)
            }
            if !names.insert(inbox.name).inserted {
                throw ConfigError(file: file, key: "inbox[\(i)].name", message: "\"\(inbox.name)\" is used by two inboxes")
            }
        }
        try FolderLayout.check(config, file: file)
        return config
    }

    struct Root: Decodable {
        var database: String?
        var node: String?
        var busy_timeout_seconds: Number?
        var inbox: [InboxConfig]?
        var dialer: DialerConfig?
        var dnc: DNCConfig?
        var log: LogConfig?
        var http: HTTPConfig?
        var compliance: [ComplianceRule]?
    }

    static func keyPath(of error: DecodingError) -> String? {
        let path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c): path = c.codingPath
        case .keyNotFound(let key, let c):
            path = c.codingPath.last?.stringValue == key.stringValue ? c.codingPath : c.codingPath + [key]
        @unknown default: return nil
        }
        return format(path)
    }

    /// `inbox[0].retry.count`, from coding paths whose array indexes may read "Index 0".
    static func format(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            let index = key.intValue ?? (key.stringValue.hasPrefix("Index ") ? Int(key.stringValue.dropFirst(6)) : nil)
            if let index {
                out += "[\(index)]"
            } else {
                out += (out.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return out
    }

    struct Name: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ s: String) { stringValue = s }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    static func reason(of error: DecodingError) -> String {
        switch error {
        case .typeMismatch(let type, let c): "expected \(type): \(c.debugDescription)"
        case .valueNotFound(let type, _): "missing \(type) value"
        case .keyNotFound: "missing, or not of the expected type"
        case .dataCorrupted(let c): c.debugDescription
        @unknown default: "\(error)"
        }
    }
}
