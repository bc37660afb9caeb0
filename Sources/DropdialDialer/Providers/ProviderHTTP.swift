import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One request to a provider's API with a deadline, read whole (provider replies are small).
struct ProviderHTTP: Sendable {
    let client: HTTPClient
    let timeoutSeconds: Double

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
    }

    /// The largest reply body read.
    static let maxReply = 1 << 20

    /// The reply, or the fault that kept it from coming (a refused connection, a timeout).
    func send(_ method: HTTPMethod, _ url: String, headers: [(String, String)], body: Data?) async -> Result<Reply, ProviderFault> {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(timeoutSeconds * 1e9)))
            let bytes = try await response.body.collect(upTo: Self.maxReply)
            return .success(Reply(status: Int(response.status.code), headers: response.headers,
                                  body: Data(bytes.readableBytesView)))
        } catch is CancellationError {
            return .failure(.cancelled)
        } catch let e as HTTPClientError where e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout {
            return .failure(.timeout(timeoutSeconds))
        } catch {
            return .failure(.network("\(error)"))
        }
    }
}

/// Why a provider request got no reply.
enum ProviderFault: Error, CustomStringConvertible, Equatable {
    case timeout(Double)
    case network(String)
    case cancelled

    var description: String {
        switch self {
        case .timeout(let s): "no reply within request_timeout_seconds (\(s) s)"
        case .network(let m): "the provider could not be reached: \(m)"
        case .cancelled: "the dialer stopped before the provider answered"
        }
    }
}

extension ProviderHTTP.Reply {
    /// The reply's JSON object, or nil.
    var json: [String: Any]? { try? JSONSerialization.jsonObject(with: body) as? [String: Any] }

    /// `Retry-After` in seconds (a number; a date or nothing gives 60, SPEC §9).
    var retryAfter: Double {
        headers.first(name: "Retry-After").flatMap(Double.init).map { max(0, $0) } ?? 60
    }

    /// The reply body as text for a log line, cut short.
    var excerpt: String { String(decoding: body.prefix(300), as: UTF8.self) }
}

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? {
        switch self[key] {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
}
