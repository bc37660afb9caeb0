import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `Tests/Fixtures/providers/standin.py`: a local server that speaks one provider's API (Twilio,
/// Vapi or Retell), signs its webhooks the provider's way and counts what it received. Its
/// docstring is the reference for its flags and its `/_standin/` endpoints.
public final class ProviderStandIn: @unchecked Sendable {
    public static let script = Binary.repo.appendingPathComponent("Tests/Fixtures/providers/standin.py").path

    public let provider: String
    public let port: Int
    private let process: Process
    private let input: Pipe

    public var base: String { "http://127.0.0.1:\(port)" }

    /// Starts `standin.py --provider PROVIDER ARGS…`; returns once it printed its port.
    public init(_ provider: String, _ args: [String] = []) throws {
        self.provider = provider
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [Self.script, "--provider", provider, "--exit-on-stdin-close"] + args
        let out = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardInput = input
        p.standardError = FileHandle.nullDevice
        try p.run()
        var line = Data()
        while let byte = try out.fileHandleForReading.read(upToCount: 1), !byte.isEmpty, byte != Data("\n".utf8) {
            line += byte
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespaces)) else {
            p.terminate()
            throw StandInError.noPort
        }
        self.port = port
        process = p
        self.input = input
    }

    enum StandInError: Error { case noPort }

    /// `GET /_standin/stats`.
    public func stats() throws -> [String: Any] { try HTTPCall.send("GET", base + "/_standin/stats").json }

    /// The calls it created, as its stats list them.
    public func calls() throws -> [[String: Any]] { try stats()["calls"] as? [[String: Any]] ?? [] }

    /// `POST /_standin/send-all-final`: every ended call's final webhook again.
    @discardableResult
    public func sendAllFinal() throws -> [String: Any] { try HTTPCall.send("POST", base + "/_standin/send-all-final").json }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    deinit { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
}

/// A loopback port nothing listens on right now (bound, read and released).
public func freeLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
    _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
    return Int(UInt16(bigEndian: addr.sin_port))
}
