import DropdialStore
import Hummingbird

/// `/healthz` (the process answers) and `/readyz` (the database answers and every inbox is
/// watched); neither needs a key, and neither says more than a monitor needs.
struct HealthRoutes {
    let store: any StoreEngine
    let health: ServiceHealth

    struct Status: Encodable {
        var status: String
        var database: String?
        var unwatchedInboxes: [String]?
    }

    func register(on router: Router<APIContext>, table: inout RouteTable) {
        table.add(router, .get, "healthz") { _, _ in JSONBody.response(Status(status: "ok")) }
        table.add(router, .get, "readyz") { _, _ in
            let reachable = store.isReachable()
            let unwatched = health.unwatched
            let ready = reachable && unwatched.isEmpty
            return JSONBody.response(Status(status: ready ? "ready" : "not_ready", database: reachable ? "ok" : "unreachable",
                                            unwatchedInboxes: unwatched),
                                     status: ready ? .ok : .serviceUnavailable)
        }
    }
}
