import Foundation
import Hummingbird

/// A JSON request body: read up to `limit` bytes (413 past it), parsed as one object whose keys
/// are all `known` (400 naming the first stranger).
enum JSONRequest {
    static func object(_ request: Request, limit: Int, known: Set<String>) async throws -> [String: Any] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, code: "body_too_large", "the body is over \(limit) bytes")
        }
        if let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw APIError(.unsupportedMediaType, code: "unsupported_media_type", "send the body as application/json, not \(type)")
        }
        let data = Data(buffer.readableBytesView)
        guard let parsed = try? JSONSerialization.jsonObject(with: data), let object = parsed as? [String: Any] else {
            throw APIError.badRequest(code: "invalid_json", "the body is not a JSON object")
        }
        if let stranger = object.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badRequest(code: "unknown_field",
                                      "unknown field \(stranger); known: \(known.sorted().joined(separator: ", "))")
        }
        return object
    }
}
