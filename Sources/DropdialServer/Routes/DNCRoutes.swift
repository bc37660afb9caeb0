import DropdialImport
import DropdialStore
import Foundation
import Hummingbird

/// The do-not-call list over HTTP: read it (viewer), list numbers and unlist them (admin). The
/// bodies are the CLI's (`dnc list --json`, `dnc add --json`).
struct DNCRoutes {
    let store: any StoreEngine
    let region: String

    func register(on api: RouterGroup<APIContext>, table: inout RouteTable) {
        table.add(api, .get, "dnc", role: .viewer) { _, _, _ in
            return JSONBody.response(try store.dncEntries().map(DNCListLine.init))
        }

        table.add(api, .post, "dnc", role: .admin) { request, _, _ in
            let body = try await JSONRequest.object(request, limit: 4 << 20, known: ["numbers", "region"])
            guard let given = body["numbers"] as? [Any], !given.isEmpty else {
                throw APIError.badRequest(code: "invalid_field", "numbers: send a non-empty JSON array of phone numbers")
            }
            let region = try (body["region"]).map { value -> String in
                guard let r = value as? String, r.count == 2 else {
                    throw APIError.badRequest(code: "invalid_field", "region: a two-letter ISO region code such as \"US\"")
                }
                return r.uppercased()
            } ?? self.region
            let numbers = try normalized(given, region: region)
            let fresh = try store.addToDNC(numbers, source: .manual, at: Date())
            return JSONBody.response(DNCAddOutput(listed: numbers, new: fresh), status: .created)
        }

        table.add(api, .delete, "dnc/{number}", role: .admin) { _, context, _ in
            let raw = context.parameters.get("number") ?? ""
            let text = raw.removingPercentEncoding ?? raw
            let number = try normalized([text], region: region)[0]
            switch try store.removeFromDNC([number])[0] {
            case .removed:
                return Response(status: .noContent)
            case .notListed:
                throw APIError.notFound("\(number) is not on the do-not-call list")
            case .keptByFiles(let files):
                throw APIError(.conflict, code: "listed_by_file",
                               "\(number) is listed by \(files.joined(separator: ", ")); edit that file to unlist it")
            }
        }
    }

    /// E.164 of every number, or 400 naming the ones that are not valid (nothing is changed).
    private func normalized(_ given: [Any], region: String) throws -> [String] {
        var valid: [String] = []
        var invalid: [String] = []
        for item in given {
            let text = (item as? String) ?? (item as? NSNumber).map { "\($0)" } ?? "\(item)"
            if let e164 = PhoneNumbers.e164(text, region: region) { valid.append(e164) } else { invalid.append(text) }
        }
        guard invalid.isEmpty else {
            throw APIError.badRequest(code: "invalid_number",
                                      "not a valid phone number in region \(region): \(invalid.prefix(20).joined(separator: ", ")); nothing was changed")
        }
        return valid
    }
}
