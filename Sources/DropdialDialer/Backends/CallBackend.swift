/// Places one call. The seam between the dialer and the world: simulate, exec, http.
public protocol CallBackend: Sendable {
    /// Dials and waits for the outcome. Never throws: anything that goes wrong is `.failed`.
    func place(_ call: CallRequest) async -> CallResult
}
