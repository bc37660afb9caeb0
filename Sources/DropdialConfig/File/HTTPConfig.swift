/// `[http]`: the HTTP service inside `dropdial run` (SPEC §8).
public struct HTTPConfig: Sendable, Hashable {
    /// `host:port` to listen on; nil turns the server off (`listen = ""`).
    public var listen: Listen?
    /// The address providers post webhooks to; default `http://` + listen.
    public var publicURL: String?
    /// Where the server is reached from outside, without a trailing `/`: `public_url`, else
    /// `http://` + listen (providers sign webhook URLs on this base).
    public var publicBase: String {
        if let publicURL { return publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL }
        return "http://" + (listen?.description ?? "127.0.0.1:8080")
    }
    /// The largest upload accepted, in MB; nil: the inbox's `max_file_mb`.
    public var maxUploadMB: Int?
    /// `/metrics` without a key.
    public var metricsPublic: Bool

    public init(listen: Listen? = Listen(host: "127.0.0.1", port: 8080), publicURL: String? = nil,
                maxUploadMB: Int? = nil, metricsPublic: Bool = false) {
        self.listen = listen
        self.publicURL = publicURL
        self.maxUploadMB = maxUploadMB
        self.metricsPublic = metricsPublic
    }

    /// A listening address: an IPv4 or IPv6 literal or a host name, and a port (0: any free port,
    /// which the daemon logs once it is bound).
    public struct Listen: Sendable, Hashable, CustomStringConvertible {
        public var host: String
        public var port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        /// `127.0.0.1:8080`, `[::1]:8080`, `localhost:0`; nil for anything else.
        public init?(_ text: String) {
            guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
                  (0...65_535).contains(port) else { return nil }
            var host = String(text[..<colon])
            if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard !host.isEmpty, host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) })
            else { return nil }
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    func problems() -> [(String, String)] {
        var out: [(String, String)] = []
        if let maxUploadMB, !(1...102_400).contains(maxUploadMB) {
            out.append(("max_upload_mb", "\(maxUploadMB) is not between 1 and 102400"))
        }
        if let publicURL, !(publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://")) {
            out.append(("public_url", "\"\(publicURL)\" is not an http:// or https:// address"))
        }
        return out
    }
}

extension HTTPConfig: Decodable {
    enum Key: String, CodingKey {
        case listen, public_url, max_upload_mb, metrics_public
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        self.init()
        if let text = try c.decodeIfPresent(String.self, forKey: .listen) {
            if text.isEmpty {
                listen = nil
            } else if let parsed = Listen(text) {
                listen = parsed
            } else {
                throw DecodingError.dataCorruptedError(forKey: .listen, in: c,
                    debugDescription: "\"\(text)\" is not host:port (e.g. \"127.0.0.1:8080\"; \"\" turns the server off)")
            }
        }
        publicURL = try c.decodeIfPresent(String.self, forKey: .public_url)
        maxUploadMB = try c.decodeIfPresent(Int.self, forKey: .max_upload_mb)
        metricsPublic = try c.decodeIfPresent(Bool.self, forKey: .metrics_public) ?? false
    }
}

extension DropdialConfig {
    /// The largest upload or request body the server accepts: `[http] max_upload_mb`, else the
    /// largest inbox `max_file_mb`.
    public var maxUploadBytes: Int {
        if let mb = http.maxUploadMB { return mb << 20 }
        return Int(inboxes.map(\.maxFileBytes).max() ?? (100 << 20))
    }
}
