import DropdialConfig
/// The default backend: outcomes drawn from weights with a seed, or one fixed outcome; no network.
public struct SimulatedBackend: CallBackend {
    public enum Mode: Sendable, Equatable {
        case fixed(CallOutcome)
        case weighted([(CallOutcome, Double)], seed: UInt64)

        public static func == (a: Mode, b: Mode) -> Bool {
            switch (a, b) {
            case (.fixed(let x), .fixed(let y)): x == y
            case (.weighted(let x, let s), .weighted(let y, let t)):
                s == t && x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
            default: false
            }
        }
    }

    public let mode: Mode
    public let durationSec: Double

    public init(mode: Mode, durationSec: Double = 30) {
        self.mode = mode
        self.durationSec = durationSec
    }

    /// Same seed and key give the same outcome, whatever order calls are placed in.
    public func outcome(for key: String) -> CallOutcome {
        switch mode {
        case .fixed(let outcome):
            return outcome
        case .weighted(let weights, let seed):
            let total = weights.reduce(0) { $0 + $1.1 }
            guard total > 0 else { return .completed }
            var x = Double(Self.hash(key, seed: seed) >> 11) / Double(1 << 53) * total
            for (outcome, weight) in weights {
                if x < weight { return outcome }
                x -= weight
            }
            return weights.last?.0 ?? .completed
        }
    }

    public func place(_ call: CallRequest) async -> CallResult {
        CallResult(outcome: outcome(for: call.idempotencyKey), durationSec: durationSec)
    }

    /// FNV-1a then splitmix64: a stable, well-mixed hash of the idempotency key.
    static func hash(_ key: String, seed: UInt64) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ seed
        for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ (h >> 30)) &* 0xbf58_476d_1ce4_e5b9
        h = (h ^ (h >> 27)) &* 0x94d0_49bb_1331_11eb
        return h ^ (h >> 31)
    }
}
