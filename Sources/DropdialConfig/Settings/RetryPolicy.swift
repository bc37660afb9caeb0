/// Plain retries: up to `count` more attempts, `intervalMinutes` of elapsed time apart (seed `retry`).
public struct RetryPolicy: Sendable, Hashable, Codable {
    public var count: Int
    public var intervalMinutes: Int

    public init(count: Int, intervalMinutes: Int) {
        self.count = count
        self.intervalMinutes = intervalMinutes
    }

    public static let standard = RetryPolicy(count: 3, intervalMinutes: 60)
}

/// One wait between attempts: calendar days on the local clock, then elapsed hours.
public struct CallbackGap: Sendable, Hashable, Codable {
    public var days: Int
    public var hours: Int

    public init(days: Int, hours: Int) {
        self.days = days
        self.hours = hours
    }
}

/// Seed `smartCallbackConfig`: replaces `retry` when enabled; the last gap repeats.
public struct SmartCallbackConfig: Sendable, Hashable, Codable {
    public var enabled: Bool
    public var maxAttempts: Int
    public var gaps: [CallbackGap]

    public init(enabled: Bool, maxAttempts: Int, gaps: [CallbackGap]) {
        self.enabled = enabled
        self.maxAttempts = maxAttempts
        self.gaps = gaps
    }
}
