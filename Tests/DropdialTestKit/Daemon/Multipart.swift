import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `multipart/form-data` body as a browser or curl writes it, for upload tests.
public struct Multipart {
    public let boundary = "dropdialTest" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
    public private(set) var body = Data()

    public init() {}

    public var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    public mutating func field(_ name: String, _ value: String) {
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
    }

    /// A file part; `fileName` is written as given (quotes and backslashes escaped).
    public mutating func file(_ fileName: String, _ contents: Data, name: String = "file") {
        let quoted = fileName.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"; filename=\"\(quoted)\"\r\nContent-Type: text/csv\r\n\r\n".utf8))
        body.append(contents)
        body.append(Data("\r\n".utf8))
    }

    /// The closing boundary; a body without it is truncated.
    public mutating func close() { body.append(Data("--\(boundary)--\r\n".utf8)) }

    /// Sends the body to `url` with `key`.
    public func post(_ url: String, key: String?) throws -> HTTPCall {
        try HTTPCall.send("POST", url, key: key, headers: ["Content-Type": contentType], body: body, timeout: 120)
    }
}

/// A raw TCP connection to the daemon, for requests no well-behaved client sends: a body that
/// stops half way, headers that never end.
public final class RawConnection {
    let fd: Int32

    /// Connects to `base` (`http://127.0.0.1:PORT`).
    public init(base: String) throws {
        guard let port = URL(string: base)?.port else { throw URLError(.badURL) }
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard r == 0 else { close(fd); throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(fd) }

    /// Writes all of `data` (false when the peer closed).
    @discardableResult
    public func send(_ data: Data) -> Bool {
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// Reads until the peer closes or `seconds` pass; returns what came.
    public func readAll(seconds: Double) -> Data {
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var out = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
        }
        return out
    }
}
