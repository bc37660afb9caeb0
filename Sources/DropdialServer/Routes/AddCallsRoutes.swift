import DropdialBase
import DropdialStore
import Foundation
import Hummingbird

/// Seeds 001/004: `POST /api/call/add-calls/{batchId}` with `{"callData": [{phoneNumber, …}, …]}`.
/// The contacts go through `add-calls`' own pipeline (validated against the batch's rules, 1000
/// per transaction); the answer is `add-calls --json`'s body with its `code` as the HTTP status.
struct AddCallsRoutes {
    let store: any StoreEngine
    let limit: Int

    func register(on api: RouterGroup<APIContext>, table: inout RouteTable) {
        table.add(api, .post, "call/add-calls/{batchId}", role: .operator) { request, context, key in
            let id = try BatchRoutes.batch(context, key, store: store)
            let body = try await JSONRequest.object(request, limit: limit, known: ["callData"])
            guard let calls = body["callData"] as? [Any] else {
                throw APIError.badRequest(code: "invalid_field", "callData: send a JSON array of objects with phoneNumber")
            }
            // add-calls reads a JSON array file; the array goes to a private temporary file.
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dropdial-add-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }
            let file = folder.appendingPathComponent("callData.json")
            try JSONSerialization.data(withJSONObject: calls).write(to: file)
            let response: AddCallsResponse
            do {
                response = try AddCallsRun.run(path: file.path, batch: id, store: store)
            } catch let error as AddCallsError {
                switch error {
                case .unknownBatch: throw APIError.notFound("no batch \(id)")
                case .cancelled: throw APIError(.conflict, code: "not_allowed", error.description)
                }
            }
            return JSONBody.response(response, status: HTTPResponse.Status(code: response.code))
        }
    }
}
