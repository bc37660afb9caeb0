import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One request through a real HTTP client (URLSession) and its answer, for tests of the daemon's
/// HTTP service over loopback.
public struct HTTPCall: Sendable {
    public var status: Int
    public var body: Data
    public var headers: [String: String]

    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as a JSON object (an empty one when it is not).
    public var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }

    /// The body as a JSON array of objects.
    public var jsonArray: [[String: Any]] { (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] ?? [] }

    public static func send(_ method: String, _ url: String, key: String? = nil, keyHeader: String = "Authorization",
                            headers: [String: String] = [:], body: Data? = nil, timeout: Double = 30) throws -> HTTPCall {
        guard let target = URL(string: url) else { throw URLError(.badURL) }
        var request = URLRequest(url: target, timeoutInterval: timeout)
        request.httpMethod = method
        if let key { request.setValue(keyHeader == "Authorization" ? "Bearer \(key)" : key, forHTTPHeaderField: keyHeader) }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.result = (data, response as? HTTPURLResponse, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = box.result?.2 { throw error }
        guard let response = box.result?.1 else { throw URLError(.badServerResponse) }
        var fields: [String: String] = [:]
        for (name, value) in response.allHeaderFields {
            if let n = name as? String, let v = value as? String { fields[n.lowercased()] = v }
        }
        return HTTPCall(status: response.statusCode, body: box.result?.0 ?? Data(), headers: fields)
    }

    private final class Box: @unchecked Sendable {
        var result: (Data?, HTTPURLResponse?, (any Error)?)?
    }
}
