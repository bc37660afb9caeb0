import DropdialConfig
@testable import DropdialServer
import DropdialTestKit
import DropdialPickup
import Foundation
import Testing

/// `/openapi.json` stays true: every `/api` and `/v1` route the server registers is described,
/// and every described operation is a registered route.
@Suite struct OpenAPITests {
    func table() throws -> RouteTable {
        let store = try Scratch.store("openapi")
        return HTTPServer.routes(config: DropdialConfig(), store: store, health: ServiceHealth(inboxes: ["inbox"]), uploads: NoUploads()).1
    }

    @Test func everyRouteIsDescribedAndEveryDescriptionIsARoute() throws {
        let table = try table()
        let registered = Set(table.routes.filter { $0.template.hasPrefix("/api/") || $0.template.hasPrefix("/v1/") }
            .map { "\($0.method.rawValue) \($0.template)" })
        let described = Set(OpenAPIDocument.operations.keys)
        #expect(registered.subtracting(described).isEmpty, "not described: \(registered.subtracting(described).sorted())")
        #expect(described.subtracting(registered).isEmpty, "described but not served: \(described.subtracting(registered).sorted())")
        #expect(registered.count >= 9)
    }

    @Test func theDocumentIsOpenAPI31WithEveryPathAndItsKeyedRoutesSecured() throws {
        let table = try table()
        let data = try JSONSerialization.data(withJSONObject: OpenAPIDocument.document(table))
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        for route in table.routes where route.template.hasPrefix("/api/") {
            let op = try #require(paths[route.template]?[route.method.rawValue.lowercased()] as? [String: Any], "\(route.template)")
            #expect(op["security"] != nil, "\(route.template) needs a key")
            let responses = try #require(op["responses"] as? [String: Any])
            #expect(responses["401"] != nil && responses["404"] != nil, "\(route.template)")
        }
        // Every schema a path refers to exists.
        let text = String(decoding: data, as: UTF8.self)
        let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
        let refs = text.components(separatedBy: "#\\/components\\/schemas\\/").dropFirst().map { $0.prefix { $0 != "\"" } }
        #expect(!refs.isEmpty)
        for ref in refs { #expect(schemas[String(ref)] != nil, "missing schema \(ref)") }
    }
}

/// A desk with no inbox watched: every upload is answered 503 before anything is written.
struct NoUploads: UploadDesk {
    func stage(inbox: String) throws -> StagedUpload? { nil }
    func submit(_ staged: StagedUpload, clientName: String, manifest: Data?) async -> UploadResult {
        .refused(reason: "no inbox is watched")
    }
}
