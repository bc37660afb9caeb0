import DropdialBase
import Foundation

/// How the pages write small facts: times, counts, page links.
enum PageText {
    /// `2026-12-04 09:15 UTC`.
    static func time(_ date: Date) -> String {
        let text = Timestamp.iso8601Seconds(date)   // 2026-12-04T09:15:00Z
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5) + " UTC"
    }

    /// `2026-12-04 04:15` in `zone` (the zone's own clock).
    static func localTime(_ date: Date, zone: String) -> String {
        guard let tz = TimeZone(identifier: zone) else { return time(date) }
        let text = Timestamp.local(date, offsetSeconds: tz.secondsFromGMT(for: date))
        return text.prefix(10) + " " + text.dropFirst(11).prefix(5)
    }

    /// A query string of the non-empty `items`, for links that keep the page's filters.
    static func query(_ items: [(String, String?)]) -> String {
        var c = URLComponents()
        c.queryItems = items.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return URLQueryItem(name: name, value: value)
        }
        let q = c.percentEncodedQuery ?? ""
        return q.isEmpty ? "" : "?" + q
    }
}

/// The previous and next links of a long list.
struct Pager {
    var page: Int
    var pages: Int
    var previous: String?
    var next: String?

    /// Nil when everything fits on one page. `link(n)` is page n's address.
    static func make(page: Int, total: Int, perPage: Int, link: (Int) -> String) -> Pager? {
        let pages = max(1, (total + perPage - 1) / perPage)
        guard pages > 1 || page > 1 else { return nil }
        return Pager(page: page, pages: pages, previous: page > 1 ? link(page - 1) : nil,
                     next: page < pages ? link(page + 1) : nil)
    }
}
