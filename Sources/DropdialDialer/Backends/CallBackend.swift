/// Places one call. The seam between the dialer and the world: simulate, exec, http.
public protocol CallBackend: Sendable {
    /// Dials and waits for the outcome. Never throws: anything that goes wrong is `.failed`.
    func place(_ call: CallRequest) async -> CallResult
    /// The backend's name in log lines (`simulate`, `exec`, `http`).
    var name: String { get }
}

extension CallBackend {
    public var name: String {
        let type = String(describing: Swift.type(of: self))
        return type.hasSuffix("Backend") ? String(type.dropLast("Backend".count)).lowercased() : type
    }
}
