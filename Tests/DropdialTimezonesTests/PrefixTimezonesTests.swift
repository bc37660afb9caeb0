import Foundation
import Testing
@testable import DropdialTimezones

@Suite struct PrefixTimezonesTests {
    let map = PrefixTimezones.shared

    @Test func recordsItsSource() {
        #expect(map.source.hasPrefix("phonenumbers "))
        #expect(map.source.contains("(PyPI), libphonenumber timezone map"))
        #expect(map.entryCount > 3000)
    }

    @Test func everyZoneInTheDataIsKnownToFoundation() {
        #expect(map.dataZones.count > 200)
        #expect(map.unknownZones == [], "zones Foundation does not know (filtered at load)")
        for zone in map.dataZones {
            #expect(TimeZone(identifier: zone) != nil, "\(zone)")
        }
    }

    @Test func unknownZonesAreFilteredAtLoad() throws {
        let text = """
        # source: test
        @0 America/New_York
        @1 Mars/Olympus_Mons
        @2 America/Chicago
        cc 1
        1\t0,1,2
        1999\t1
        """
        let m = try PrefixTimezones(text: text)
        #expect(m.unknownZones == ["Mars/Olympus_Mons"])
        #expect(m.zones(forE164: "+12125550123") == ["America/New_York", "America/Chicago"])
        #expect(m.zones(forE164: "+19995550123") == [])
        #expect(m.source == "test")
    }

    @Test func rejectsMalformedData() {
        #expect(throws: (any Error).self) { try PrefixTimezones(text: "@0 America/New_York\n1\t0\n") }  // no source
        #expect(throws: (any Error).self) { try PrefixTimezones(text: "# source: x\n1\t0\n") }  // bad index
        #expect(throws: (any Error).self) { try PrefixTimezones(text: "# source: x\n@0 UTC\n1 0\n") }  // no tab
        #expect(throws: (any Error).self) { try PrefixTimezones(text: "# source: x\n@0 UTC\n1\t0\n1\t0\n") }
    }

    // MARK: Hand cases

    @Test func usNumbers() {
        #expect(map.zones(forE164: "+12125550123") == ["America/New_York"])
        #expect(map.zones(forE164: "+14155552671") == ["America/Los_Angeles"])
        #expect(map.zones(forE164: "+1 (212) 555-0123") == ["America/New_York"])
        #expect(map.zones(forE164: "12125550123") == ["America/New_York"])
    }

    @Test func usAreaCodeSpanningTwoZones() {
        // 605 (South Dakota) is split between Mountain and Central time (North_Dakota/Center).
        #expect(map.zones(forE164: "+16055550123") == ["America/Denver", "America/North_Dakota/Center"])
        // 775 (Nevada): Pacific, plus Mountain around the Idaho border.
        #expect(map.zones(forE164: "+17755550123") == ["America/Boise", "America/Los_Angeles"])
        // 907 (Alaska): Adak and Anchorage.
        #expect(map.zones(forE164: "+19075550123") == ["America/Adak", "America/Anchorage"])
    }

    @Test func otherCountries() {
        #expect(map.zones(forE164: "+61 2 9374 4000") == ["Australia/Sydney"])
        #expect(map.zones(forE164: "+61893744000") == ["Australia/Adelaide", "Australia/Perth"])
        #expect(map.zones(forE164: "+61851001234") == ["Indian/Christmas"])  // 8-digit prefix
        // The map (like libphonenumber) still says Asia/Calcutta; Foundation knows the alias.
        #expect(map.zones(forE164: "+919876543210") == ["Asia/Calcutta"])
        #expect(TimeZone(identifier: "Asia/Calcutta") != nil)
        #expect(map.zones(forE164: "+442079460000") == ["Europe/London"])
        #expect(map.zones(forE164: "+4930123456") == ["Europe/Berlin"])
        #expect(map.zones(forE164: "+976136234567") == ["Asia/Choibalsan", "Asia/Ulaanbaatar"])
    }

    @Test func countryLevel() {
        #expect(map.countryZones(forE164: "+61412345678").count == 8)
        #expect(map.countryZones(forE164: "+61412345678").contains("Australia/Lord_Howe"))
        #expect(map.countryZones(forE164: "+79161234567").count > 10)
        #expect(map.zones(forE164: "+79161234567", geographical: true) == ["Europe/Moscow"])
        #expect(map.countryZones(forE164: "+447911123456") == map.zones(forE164: "+44"))
        #expect(map.countryZones(forE164: "+4930123456") == ["Europe/Berlin"])
        #expect(map.countryZones(forE164: "+99912345") == [])
    }

    @Test func unknownOrMalformedInputGivesNothing() {
        #expect(map.zones(forE164: "") == [])
        #expect(map.zones(forE164: "+") == [])
        #expect(map.zones(forE164: "+0123") == [])
        #expect(map.zones(forE164: "+1212555012x") == [])
        #expect(map.zones(forE164: "+99912345678") == [])  // no such country code
        #expect(map.zones(forE164: "+80012345678") == [])  // international freephone: not in the map
    }

    // MARK: Resolution order (SPEC §7)

    @Test func resolutionOrder() {
        let batch = "Europe/Paris"
        // Row cell wins, even over a known prefix.
        #expect(ZoneResolution.zones(rowTimezone: "Asia/Tokyo", e164: "+12125550123",
                                     batchTimezone: batch, prefixes: map) == ["Asia/Tokyo"])
        for cell in [" Asia/Tokyo ", "\tAsia/Tokyo\r\n", "\u{00A0}Asia/Tokyo\u{2003}"] {
            #expect(ZoneResolution.zones(rowTimezone: cell, e164: "+12125550123",
                                         batchTimezone: batch, prefixes: map) == ["Asia/Tokyo"])
        }
        // Empty or blank cell: prefix zones, all of them, in the map's order.
        for cell in [nil, "", "  ", "\t\n"] as [String?] {
            #expect(ZoneResolution.zones(rowTimezone: cell, e164: "+16055550123",
                                         batchTimezone: batch, prefixes: map)
                    == ["America/Denver", "America/North_Dakota/Center"])
        }
        // Unknown prefix: the batch zone.
        #expect(ZoneResolution.zones(rowTimezone: nil, e164: "+80012345678",
                                     batchTimezone: batch, prefixes: map) == [batch])
        #expect(ZoneResolution.zones(rowTimezone: nil, e164: "garbage",
                                     batchTimezone: batch, prefixes: map) == [batch])
        // Non-geographical numbers take the country-level zones.
        #expect(ZoneResolution.zones(rowTimezone: nil, e164: "+61412345678", batchTimezone: batch,
                                     prefixes: map, geographical: false).count == 8)
        #expect(ZoneResolution.zones(rowTimezone: nil, e164: "+61412345678", batchTimezone: batch,
                                     prefixes: map) == ["Australia/Sydney"])
    }

    // MARK: Oracle: phonenumbers' own answers

    struct OracleLine {
        let e164: String, kind: String, byNumber: [String], byPrefix: [String]
    }

    static func oracle() throws -> [OracleLine] {
        let url = Bundle.module.url(forResource: "oracle", withExtension: "tsv")
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("oracle.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        func zones(_ field: Substring) -> [String] {
            field.isEmpty ? [] : field.split(separator: ",").map(String.init)
        }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            precondition(f.count == 4, "bad oracle line: \(line)")
            return OracleLine(e164: String(f[0]), kind: String(f[1]), byNumber: zones(f[2]), byPrefix: zones(f[3]))
        }
    }

    @Test func agreesWithPhonenumbersOracle() throws {
        let lines = try Self.oracle()
        #expect(lines.count >= 2000)
        var counts: [String: Int] = [:]
        for line in lines {
            counts[line.kind, default: 0] += 1
            // Longest-prefix lookup: time_zones_for_geographical_number, every line.
            #expect(map.zones(forE164: line.e164) == line.byPrefix, "\(line.e164) prefix")
            switch line.kind {
            case "geo":  // time_zones_for_number
                #expect(map.zones(forE164: line.e164, geographical: true) == line.byNumber, "\(line.e164) geo")
            case "nongeo":  // time_zones_for_number falls back to the country level
                #expect(map.zones(forE164: line.e164, geographical: false) == line.byNumber, "\(line.e164) nongeo")
            case "invalid":  // time_zones_for_number says Etc/Unknown; validity is import's job
                #expect(line.byNumber == [], "\(line.e164) invalid")
            default:
                Issue.record("unknown kind \(line.kind)")
            }
        }
        print("oracle: \(lines.count) numbers \(counts.sorted { $0.key < $1.key }) — source \(map.source)")
    }

    @Test func oracleIsFromTheSameSource() throws {
        let url = Bundle.module.url(forResource: "oracle", withExtension: "tsv")!
        let first = try String(contentsOf: url, encoding: .utf8).prefix { $0 != "\n" }
        #expect(first == "# source: " + map.source)
    }

    // MARK: Timing

    @Test func parseAndLookupTimes() throws {
        let clock = ContinuousClock()
        var parsed: PrefixTimezones?
        let parse = try clock.measure { parsed = try PrefixTimezones(text: prefixTimezoneDataText) }
        let m = try #require(parsed)
        let numbers = try Self.oracle().map(\.e164)
        var hits = 0
        let rounds = 20
        let lookups = clock.measure {
            for _ in 0..<rounds {
                for n in numbers { hits &+= m.zones(forE164: n).count }
            }
        }
        let perLookup = lookups / (rounds * numbers.count)
        print("parse: \(parse) for \(m.entryCount) entries; lookup: \(perLookup) each (\(rounds * numbers.count) lookups, \(hits) zones)")
        // Release builds parse in ~1-2 ms and look up in ~0.2 µs; debug builds are ~20x slower
        // (unspecialized generics), and the CPUs are shared, so the debug bounds are loose.
        #if DEBUG
        #expect(parse < .milliseconds(300))
        #expect(perLookup < .microseconds(20))
        #else
        #expect(parse < .milliseconds(50))
        #expect(perLookup < .microseconds(2))
        #endif
    }
}
