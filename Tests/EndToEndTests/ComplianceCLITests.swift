import DropdialTestKit
import Foundation
import Testing

/// `[[compliance]]` through the real binary (SPEC §9): the shipped rule files as a user copies
/// them into a config, `simulate` held to them, and the batch page showing each call's rules and state.
@Suite struct ComplianceCLITests {
    static let contrib = Binary.repo.appendingPathComponent("contrib/compliance")

    func bin() throws -> Binary {
        let b = try Binary()
        let us = try String(contentsOf: Self.contrib.appendingPathComponent("us-states.toml"), encoding: .utf8)
        let ca = try String(contentsOf: Self.contrib.appendingPathComponent("canada.toml"), encoding: .utf8)
        try b.write("dropdial.toml", """
            [[inbox]]
            name = "inbox"
            path = "inbox"
            calling_window = { start = "08:00", end = "21:00" }
            allowed_days = [0, 1, 2, 3, 4, 5, 6]
            retry = { count = 6, interval_minutes = 60 }

            \(us)
            \(ca)
            """)
        try b.write("c.csv", """
            phone_number,name,State
            +13055550100,Miami,
            +12065550100,Seattle,fl
            +12125550100,New York,
            +14165550100,Toronto,
            +12275550100,Maryland,
            """)
        let r = try b.run("import", "c.csv")
        #expect(r.status == 0, "\(r.stderr)")
        return b
    }

    @Test func theBatchPageShowsEachCallsRulesAndState() throws {
        let b = try bin()
        let page = try #require(try b.run("batch", "1", "--json").json() as? [String: Any])
        let calls = try #require(page["calls"] as? [[String: Any]])
        let byNumber = Dictionary(uniqueKeysWithValues: calls.map { ($0["phoneNumber"] as? String ?? "", $0) })
        func rules(_ n: String) -> [String]? { byNumber[n]?["complianceRules"] as? [String] }
        #expect(rules("+13055550100") == ["US-FL"])
        #expect(byNumber["+13055550100"]?["state"] as? String == "FL")
        // The row's state column adds Florida to a Seattle number; Washington's rule stays.
        #expect(rules("+12065550100") == ["US-FL", "US-WA"])
        #expect(byNumber["+12065550100"]?["state"] as? String == "FL")
        #expect(rules("+12125550100") == [])
        #expect(byNumber["+12125550100"]?["state"] as? String == "NY")
        #expect(rules("+14165550100") == ["CA-CRTC"])
        #expect(rules("+12275550100") == ["US-MD"])
    }

    @Test func simulateHoldsFloridaToThreeCallsADayAndEightPM() throws {
        let b = try bin()
        // The next Monday at least a day away, 00:00 in New York (the import made every call due now).
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "America/New_York")!
        var monday = cal.startOfDay(for: Date().addingTimeInterval(86_400))
        while cal.component(.weekday, from: monday) != 2 { monday = cal.date(byAdding: .day, value: 1, to: monday)! }
        let iso = ISO8601DateFormatter()
        let r = try b.run("simulate", "--json", "--outcome", "busy", "--start", iso.string(from: monday),
                          "--until", iso.string(from: monday.addingTimeInterval(2 * 86_400)))
        #expect(r.status == 0, "\(r.stderr)")
        let events = r.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let local = DateFormatter()
        local.timeZone = cal.timeZone
        local.locale = Locale(identifier: "en_US_POSIX")
        local.dateFormat = "EEE HH:mm"
        func times(_ n: String) -> [String] {
            events.filter { $0["phoneNumber"] as? String == n }.compactMap { ($0["at"] as? String).flatMap(iso.date).map(local.string) }
        }
        // 08:00, 09:00, 10:00 on Monday, then Tuesday from 08:00, when Monday's turn 24 hours old.
        #expect(Array(times("+13055550100").prefix(5)) == ["Mon 08:00", "Mon 09:00", "Mon 10:00", "Tue 08:00", "Tue 09:00"])
        // New York has no rule: seven attempts on Monday (the first and six retries).
        #expect(times("+12125550100") == ["Mon 08:00", "Mon 09:00", "Mon 10:00", "Mon 11:00", "Mon 12:00", "Mon 13:00", "Mon 14:00"])
        // Maryland, and Seattle (Washington's rule and, by its state column, Florida's), three a day.
        #expect(times("+12275550100") == ["Mon 08:00", "Mon 09:00", "Mon 10:00", "Tue 08:00", "Tue 09:00", "Tue 10:00"])
        // Toronto: the CRTC's weekday hours open at 09:00.
        #expect(times("+14165550100").first == "Mon 09:00")
    }
}
