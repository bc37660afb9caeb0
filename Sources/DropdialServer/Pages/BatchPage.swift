import DropdialConfig
import DropdialStore
import Foundation

/// A batch's page (SPEC §10): its settings in words, progress, the counts by status and outcome,
/// two charts, one page of its calls (the API's search, filter, sort and pages) with each call's
/// phone log, the controls the key may use, and the export.
struct BatchPage {
    static let callsPerPage = 25

    var id: Int64
    var name: String
    var inbox: String
    var status: String
    var created: String
    var csrf: String
    var canPause: Bool
    var canResume: Bool
    var canCancel: Bool
    var final: Int
    var all: Int
    var percent: Int
    var counts: [Count]
    var settings: [Setting]
    var attemptsChart: String
    var dueChart: String
    var dueCaption: String
    var search: String
    var statusOptions: [Option]
    var sortOptions: [Option]
    var ascending: Bool
    var total: Int
    var calls: [Call]
    var hasCalls: Bool
    var pager: Pager?

    struct Count {
        var label: String
        var count: Int
    }

    struct Setting {
        var label: String
        var value: String
    }

    struct Option {
        var name: String
        var label: String
        var selected: Bool
    }

    struct Call {
        var phoneNumber: String
        var status: String
        var attempts: Int
        var lastOutcome: String
        var next: String
        var zone: String
        var variables: [Variable]
        var hasVariables: Bool
        var logs: [Log]
        var hasLogs: Bool
    }

    struct Variable {
        var key: String
        var value: String
    }

    struct Log {
        var attempt: Int
        var at: String
        var outcome: String
        var duration: String?
        var callingNumber: String?
    }

    /// The page's own query: what the calls form sends.
    struct Query {
        var search: String?
        var status: String?
        var sortBy: String
        var descending: Bool
        var page: Int

        static let sortFields: [(name: String, label: String)] = [
            ("id", "file order"), ("phoneNumber", "phone number"), ("callStatus", "status"), ("attempts", "attempts"),
            ("nextAttemptAt", "next attempt"), ("lastOutcome", "last outcome"),
        ]

        init(_ parameters: [String: String]) {
            search = parameters["search"].flatMap { $0.isEmpty ? nil : $0 }
            status = parameters["status"].flatMap { CallStatus(rawValue: $0) != nil ? $0 : nil }
            sortBy = parameters["sortBy"].flatMap { name in Self.sortFields.contains { $0.name == name } ? name : nil } ?? "id"
            descending = parameters["sortOrder"] == "desc"
            page = parameters["page"].flatMap(Int.init).map { max(1, min($0, 1_000_000)) } ?? 1
        }

        /// The store's query for this page of calls.
        func callQuery() throws -> CallQuery {
            var filter = CallFilter()
            if let status {
                let json = String(decoding: try JSONSerialization.data(withJSONObject: ["callStatus": status]), as: UTF8.self)
                filter = try CallFilter(json: json)
            }
            return try CallQuery(page: page, limit: BatchPage.callsPerPage, filter: filter,
                                 sort: CallSort(by: sortBy, order: descending ? "desc" : "asc"), search: search)
        }

        /// This page's address with page `n`.
        func link(batch id: Int64, page n: Int) -> String {
            "/batches/\(id)" + PageText.query([("search", search), ("status", status), ("sortBy", sortBy == "id" ? nil : sortBy),
                                               ("sortOrder", descending ? "desc" : nil), ("page", n > 1 ? String(n) : nil)])
        }
    }

    init(details: BatchDetails, activity: BatchActivity, query: Query, caller: PageCaller) {
        id = details.id
        name = details.name
        inbox = details.inbox
        status = details.status
        created = PageText.time(details.createdAt)
        csrf = caller.csrf
        let batchStatus = BatchStatus(rawValue: details.status)
        let mayControl = caller.key.role >= .operator
        canPause = mayControl && (batchStatus == .active || batchStatus == .scheduled)
        canResume = mayControl && batchStatus == .paused
        canCancel = mayControl && batchStatus != .cancelled && batchStatus != .completed
        final = activity.finalCalls
        all = activity.allCalls
        percent = all == 0 ? 0 : final * 100 / all
        counts = CallStatus.allCases.compactMap { s in activity.byStatus[s.rawValue].map { Count(label: s.rawValue, count: $0) } }
            + activity.byOutcome.sorted { $0.key < $1.key }.map { Count(label: "done: " + $0.key, count: $0.value) }
        settings = details.settings.map(Self.words) ?? []
        attemptsChart = BarChart(id: "chart-attempts", title: "Attempts per hour over the last 24 hours",
                                 bars: activity.attemptsPerHour.map { (String(PageText.time($0.hour).dropFirst(11).prefix(2)), $0.count) },
                                 labelEvery: 3).svg()
        dueChart = BarChart(id: "chart-due", title: "Calls still due by local hour of the day",
                            bars: activity.dueByLocalHour.enumerated().map { (String(format: "%02d", $0.offset), $0.element) },
                            labelEvery: 3).svg()
        dueCaption = activity.dueSampled.map {
            "Calls still due, by the local hour they are due at (estimated from \($0) calls spread over the batch)"
        } ?? "Calls still due, by the local hour they are due at"
        search = query.search ?? ""
        statusOptions = CallStatus.allCases.map { Option(name: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == query.status) }
        sortOptions = Query.sortFields.map { Option(name: $0.name, label: $0.label, selected: $0.name == query.sortBy) }
        ascending = !query.descending
        total = details.total
        calls = details.calls.map(Self.call)
        hasCalls = !calls.isEmpty
        pager = Pager.make(page: query.page, total: details.total, perPage: Self.callsPerPage) { query.link(batch: details.id, page: $0) }
    }

    static func call(_ c: CallDetail) -> Call {
        let zone = String(c.timezone.prefix { $0 != "," })
        let logs = c.phoneLogs.map { log in
            Log(attempt: log.attempt, at: PageText.localTime(log.at, zone: zone), outcome: log.outcome ?? "in progress",
                duration: log.durationSec.map { String(Int($0.rounded())) }, callingNumber: log.callingNumber)
        }
        let variables = c.variables.sorted { $0.key < $1.key }.map { Variable(key: $0.key, value: $0.value) }
        return Call(phoneNumber: c.phoneNumber, status: c.status, attempts: c.attempts, lastOutcome: c.lastOutcome ?? "—",
                    next: c.nextAttemptAt.map { PageText.localTime($0, zone: zone) } ?? "—", zone: c.timezone,
                    variables: variables, hasVariables: !variables.isEmpty, logs: logs, hasLogs: !logs.isEmpty)
    }

    static let dayNames = [0: "Sunday", 1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday", 5: "Friday", 6: "Saturday", 7: "Sunday"]

    /// The batch's settings as a person reads them.
    static func words(_ s: BatchSettingsSummary) -> [Setting] {
        var out: [Setting] = []
        out.append(Setting(label: "Calling hours", value: "\(s.callingWindow.start) to \(s.callingWindow.end), each contact's local time"))
        let days = s.allowedDays.map { $0 == 0 ? 7 : $0 }.sorted().compactMap { dayNames[$0] }
        out.append(Setting(label: "Days", value: days == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
                           ? "Monday to Friday" : days.joined(separator: ", ")))
        out.append(Setting(label: "Zone when a number has none", value: s.timezone))
        if let smart = s.smartCallbackConfig, smart.enabled {
            let gaps = smart.gaps.map { "\($0.days) d \($0.hours) h" }.joined(separator: ", ")
            out.append(Setting(label: "Retries", value: "smart callbacks: up to \(smart.maxAttempts) attempts, after \(gaps)"))
        } else {
            out.append(Setting(label: "Retries", value: s.retry.count == 0 ? "none"
                               : "up to \(s.retry.count), \(s.retry.intervalMinutes) minutes apart"))
        }
        if !s.holidays.isEmpty { out.append(Setting(label: "No calls on", value: s.holidays.joined(separator: ", "))) }
        if let at = s.scheduledAt { out.append(Setting(label: "Starts", value: PageText.time(at))) }
        if !s.callingNumbers.isEmpty { out.append(Setting(label: "Calling from", value: s.callingNumbers.joined(separator: ", "))) }
        if let agent = s.agentId { out.append(Setting(label: "Agent", value: agent)) }
        out.append(Setting(label: "Invalid rows", value: s.policy))
        return out
    }
}
