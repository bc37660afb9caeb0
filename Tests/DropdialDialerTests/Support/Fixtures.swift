import DropdialTestKit
import DropdialConfig
@testable import DropdialDialer
import Foundation

/// A UTC instant written `2026-03-08T06:30:00Z` (seconds optional: `2026-03-08T06:30Z`).
func utc(_ text: String) -> Date {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime]
    let full = text.count == 17 ? String(text.dropLast()) + ":00Z" : text
    guard let d = f.date(from: full) else { fatalError("bad fixture instant \(text)") }
    return d
}

func zone(_ id: String) -> TimeZone {
    guard let z = TimeZone(identifier: id) else { fatalError("unknown zone \(id)") }
    return z
}

let newYork = zone("America/New_York")
let chicago = zone("America/Chicago")
let denver = zone("America/Denver")
let phoenix = zone("America/Phoenix")
let berlin = zone("Europe/Berlin")
let sydney = zone("Australia/Sydney")
let kolkata = zone("Asia/Kolkata")
let stJohns = zone("America/St_Johns")
let tokyo = zone("Asia/Tokyo")
let utcZone = zone("UTC")

let everyDay = [1, 2, 3, 4, 5, 6, 7]
let mondayToFriday = [1, 2, 3, 4, 5]

func window(_ start: String, _ end: String) -> CallingWindow {
    CallingWindow(start: LocalTime(start)!, end: LocalTime(end)!)
}

/// Rules with the guard OFF by default, so DST tests can use night windows.
func rules(_ start: String, _ end: String, days: [Int] = everyDay, guarded: Bool = false,
           holidays: [String] = []) -> CallingRules {
    CallingRules(allowedDays: days, callingWindow: window(start, end), callingHoursGuard: guarded, holidays: holidays)
}
