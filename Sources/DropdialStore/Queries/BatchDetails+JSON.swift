import DropdialBase
import Foundation

extension BatchDetails {
    /// `batch ID --json` and batch-details' body, written by hand in `JSONStyle.encoder()`'s exact
    /// bytes: Foundation's generic encoder was the largest cost of a page (a test holds the two
    /// to each other). The settings come pre-encoded from the store when it has them.
    public func prettyJSON() -> String {
        var j = PrettyJSON()
        j.object { o in
            o.key("calls")
            o.array { a in
                for call in calls {
                    a.item()
                    call.write(to: &a)
                }
            }
            o.key("createdAt"); o.date(createdAt)
            o.key("id"); o.int64(id)
            o.key("inbox"); o.string(inbox)
            o.key("limit"); o.int(limit)
            o.key("name"); o.string(name)
            o.key("page"); o.int(page)
            o.key("settings")
            if let settings {
                if let settingsJSON { o.raw(settingsJSON) } else { o.fragment(BatchSettingsSummary.prettyJSON(settings)) }
            } else {
                o.string(nil)
            }
            o.key("status"); o.string(status)
            o.key("total"); o.int(total)
            o.key("totalPages"); o.int(totalPages)
        }
        return j.text + "\n"
    }
}

extension CallDetail {
    func write(to j: inout PrettyJSON) {
        j.object { o in
            o.key("attempts"); o.int(attempts)
            o.key("complianceRules"); o.array { a in for name in complianceRules { a.item(); a.string(name) } }
            o.key("createdAt"); o.date(createdAt)
            o.key("id"); o.int64(id)
            o.key("lastOutcome"); o.string(lastOutcome)
            o.key("nextAttemptAt"); o.date(nextAttemptAt)
            o.key("phoneLogs")
            o.array { a in
                for log in phoneLogs {
                    a.item()
                    a.object { l in
                        l.key("at"); l.date(log.at)
                        l.key("attempt"); l.int(log.attempt)
                        l.key("callingNumber"); l.string(log.callingNumber)
                        l.key("durationSec"); l.double(log.durationSec)
                        l.key("outcome"); l.string(log.outcome)
                        l.key("providerCallId"); l.string(log.providerCallId)
                    }
                }
            }
            o.key("phoneNumber"); o.string(phoneNumber)
            o.key("state"); o.string(state)
            o.key("status"); o.string(status)
            o.key("timezone"); o.string(timezone)
            o.key("variables"); o.stringObject(variables)
        }
    }
}

extension BatchSettingsSummary {
    /// The settings in `JSONStyle.encoder()`'s pretty form, at depth 0.
    static func prettyJSON(_ summary: BatchSettingsSummary) -> String {
        (try? JSONStyle.encoder().encode(summary)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
