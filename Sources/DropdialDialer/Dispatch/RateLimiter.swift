import DropdialConfig

/// The rate limits on call starts (SPEC §9) as token buckets of one token on the dialer's clock:
/// a limit of `n` per period lets a call start every `period / n`, so no window of the period
/// ever holds more than `n` starts. A call a limit holds back waits (it is not an attempt).
struct RateLimiter: Sendable {
    let limits: RateLimits
    /// Seconds between two starts under each limit (0 = unlimited).
    private let globalGap: Double
    private let numberGap: Double
    private let batchGap: Double
    /// The instant each bucket has its next token (Unix seconds).
    private var global: Double = -.infinity
    private var byNumber: [String: Double] = [:]
    private var byBatch: [Int64: Double] = [:]

    init(_ limits: RateLimits) {
        self.limits = limits
        globalGap = limits.perSecond > 0 ? 1 / limits.perSecond : 0
        numberGap = limits.perMinutePerNumber > 0 ? 60 / Double(limits.perMinutePerNumber) : 0
        batchGap = limits.perMinutePerBatch > 0 ? 60 / Double(limits.perMinutePerBatch) : 0
    }

    var isUnlimited: Bool { limits.isUnlimited }

    /// When the limit on all calls lets the next one start.
    var availableGlobally: Double { globalGap > 0 ? global : -.infinity }

    /// When every limit but the calling number's lets a call of `batch` start.
    func availableAt(batch: Int64) -> Double {
        max(globalGap > 0 ? global : -.infinity, batchGap > 0 ? byBatch[batch, default: -.infinity] : -.infinity)
    }

    /// When the calling number's limit lets a call on `number` start (no number: never held).
    func availableAt(number: String?) -> Double {
        guard numberGap > 0, let number else { return -.infinity }
        return byNumber[number, default: -.infinity]
    }

    /// When a call of `batch` on `number` may start.
    func availableAt(batch: Int64, number: String?) -> Double {
        max(availableAt(batch: batch), availableAt(number: number))
    }

    /// Takes the tokens of a call of `batch` on `number` starting at `t` (checked available).
    mutating func take(batch: Int64, number: String?, at t: Double) {
        if globalGap > 0 { global = max(global, t) + globalGap }
        if batchGap > 0 { byBatch[batch] = max(byBatch[batch, default: -.infinity], t) + batchGap }
        if numberGap > 0, let number { byNumber[number] = max(byNumber[number, default: -.infinity], t) + numberGap }
        // Buckets that are full again carry nothing: dropping them keeps memory to the active ones.
        if byNumber.count + byBatch.count > Self.pruneAt {
            byNumber = byNumber.filter { $0.value > t }
            byBatch = byBatch.filter { $0.value > t }
        }
    }

    static let pruneAt = 10_000
}
