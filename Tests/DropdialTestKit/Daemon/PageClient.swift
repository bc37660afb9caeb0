import Foundation

/// A browser-like client of the dashboard without a browser: curl with a cookie jar, redirects
/// not followed (so a test sees each 303), for the pages' security tests. The browser tests
/// proper are `scripts/browser_test.sh` (chromium).
public final class PageClient {
    public let base: String
    private let jar = Scratch.path("cookies", suffix: ".txt")

    public struct Answer {
        public var status: Int
        public var body: String
        public var location: String?
    }

    public init(base: String) {
        self.base = base
    }

    /// `GET path`.
    public func get(_ path: String) throws -> Answer { try curl([base + path]) }

    /// `POST path` with a web form (`fields`, URL-encoded by curl).
    public func post(_ path: String, _ fields: [(String, String)]) throws -> Answer {
        try curl(fields.flatMap { ["--data-urlencode", "\($0.0)=\($0.1)"] } + (fields.isEmpty ? ["-X", "POST"] : []) + [base + path])
    }

    /// `POST path` with a multipart form: `fields`, then `file` as the part `file` named `fileName`.
    public func upload(_ path: String, fields: [(String, String)], file: String, fileName: String) throws -> Answer {
        try curl(fields.flatMap { ["-F", "\($0.0)=\($0.1)"] } + ["-F", "file=@\(file);filename=\(fileName)", base + path])
    }

    /// Signs in with `key` through the sign-in form, as a person does.
    public func signIn(_ key: String) throws -> Answer {
        let form = try get("/signin")
        return try post("/signin", [("csrf", Self.csrf(form.body) ?? ""), ("key", key), ("next", "/")])
    }

    /// The first CSRF token of a page's forms.
    public static func csrf(_ html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="[^"]*""#, options: .regularExpression) else { return nil }
        return html[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    private func curl(_ args: [String]) throws -> Answer {
        let headers = Scratch.path("headers", suffix: ".txt")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-b", jar, "-c", jar, "-D", headers, "--max-time", "60"] + args
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let body = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let head = (try? String(contentsOfFile: headers, encoding: .utf8)) ?? ""
        let lines = head.components(separatedBy: "\r\n")
        let status = lines.first.flatMap { $0.split(separator: " ").dropFirst().first }.flatMap { Int($0) } ?? 0
        let location = lines.first { $0.lowercased().hasPrefix("location:") }.map { String($0.dropFirst(9)).trimmingCharacters(in: .whitespaces) }
        return Answer(status: status, body: String(decoding: body, as: UTF8.self), location: location)
    }
}
