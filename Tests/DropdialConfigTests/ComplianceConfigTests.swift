import DropdialConfig
import Foundation
import Testing

/// `[[compliance]]` (SPEC §9) and the rule files the repo ships for users to copy.
@Suite struct ComplianceConfigTests {
    static let contrib = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("contrib/compliance")

    func load(_ file: String) throws -> [ComplianceRule] {
        let text = try String(contentsOf: Self.contrib.appendingPathComponent(file), encoding: .utf8)
        return try DropdialConfig.parse(text, file: file).compliance
    }

    @Test func theShippedUSRulesParseWithTheirHoursLimitsAndDays() throws {
        let rules = try load("us-states.toml")
        let byState = Dictionary(uniqueKeysWithValues: rules.map { ($0.states?.first ?? "", $0) })
        for st in ["FL", "OK", "MD"] {
            let r = try #require(byState[st])
            #expect(r.windows.map { "\($0.start)-\($0.end)" } == ["08:00-20:00"], "\(st)")
            #expect(r.limits == [.init(attempts: 3, hours: 24)], "\(st)")
        }
        for st in ["WA", "MA"] {
            #expect(byState[st]?.windows.map { "\($0.start)-\($0.end)" } == ["08:00-20:00"], "\(st)")
        }
        for st in ["AL", "LA", "MS"] {
            let days = try #require(byState[st]).windows.flatMap(\.days)
            #expect(!days.contains(7) && !days.contains(0), "\(st) has no Sunday")
        }
        #expect(rules.allSatisfy { $0.countries == ["US"] })
    }

    @Test func canadaAndFrance() throws {
        let ca = try #require(try load("canada.toml").first)
        #expect(ca.windows.map { "\($0.days) \($0.start)-\($0.end)" } == ["[1, 2, 3, 4, 5] 09:00-21:30", "[6, 7] 10:00-18:00"])
        let fr = try #require(try load("france.toml").first)
        #expect(fr.windows.map { "\($0.start)-\($0.end)" } == ["10:00-13:00", "14:00-20:00"])
        #expect(fr.limits == [.init(attempts: 4, hours: 720)])
    }

    @Test(arguments: [
        ("[[compliance]]\nname = \"x\"\n", "compliance[0].countries"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"us\"]\n", "compliance[0].countries"),
        ("[[compliance]]\nname = \"x\"\nstates = [\"Florida\"]\n", "compliance[0].states"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\nwindows = [{ days = [8], start = \"08:00\", end = \"20:00\" }]\n", "compliance[0].windows[0].days"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\nwindows = [{ days = [1], start = \"20:00\", end = \"08:00\" }]\n", "compliance[0].windows[0]"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\nlimits = [{ attempts = 0, hours = 24 }]\n", "compliance[0].limits[0].attempts"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\nlimits = [{ attempts = 3, hours = 0 }]\n", "compliance[0].limits[0].hours"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\nholidays = [\"2027-13-01\"]\n", "compliance[0].holidays"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\n[[compliance]]\nname = \"x\"\ncountries = [\"CA\"]\n", "compliance[1].name"),
        ("[[compliance]]\nname = \"x\"\ncountries = [\"US\"]\nhours = \"08-20\"\n", "compliance[0].hours"),
        ("[dialer]\nmax_calls_per_second = -1\n", "dialer.max_calls_per_second"),
        ("[dialer]\nmax_calls_per_minute_per_batch = -1\n", "dialer.max_calls_per_minute_per_batch"),
    ])
    func aBadRuleNamesItsKey(_ text: String, _ key: String) {
        #expect { try DropdialConfig.parse(text) } throws: { ($0 as? ConfigError)?.key == key }
    }

    @Test func rateLimitsDecode() throws {
        let c = try DropdialConfig.parse("""
            [dialer]
            max_calls_per_second = 2.5
            max_calls_per_minute_per_number = 6
            max_calls_per_minute_per_batch = 30
            """)
        #expect(c.dialer.rateLimits == RateLimits(perSecond: 2.5, perMinutePerNumber: 6, perMinutePerBatch: 30))
        #expect(try DropdialConfig.parse("").dialer.rateLimits.isUnlimited)
    }
}
