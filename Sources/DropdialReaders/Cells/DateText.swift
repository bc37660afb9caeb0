import DropdialBase

/// Date/time rendering shared by the XLSX and XLS readers (SPEC §4): spreadsheet serials and
/// ISO 8601 cell values become `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SS` or `HH:MM:SS`.
extension CellText {
    /// Renders a spreadsheet date serial.
    ///
    /// - 1900 system: serial 60 is Excel's fictitious 1900-02-29; serials ≥ 61 count days from
    ///   1899-12-30 and serials below 60 from 1899-12-31 (so 1 is 1900-01-01).
    /// - 1904 system (`date1904`): days since 1904-01-01.
    /// - The value is rounded to the nearest second first (13:59:59.9999 is 14:00:00, carrying
    ///   into the date). A date with no time part prints `YYYY-MM-DD`, otherwise
    ///   `YYYY-MM-DDTHH:MM:SS`. With `timeFormat`, a value whose date part is 0 prints
    ///   `HH:MM:SS` and any other value the full `YYYY-MM-DDTHH:MM:SS`.
    /// - Serials Excel cannot show as dates (negative, past 9999-12-31, NaN) print as numbers.
    public static func dateTime(serial: Double, date1904: Bool, timeFormat: Bool) -> String {
        guard serial.isFinite, serial >= 0, serial < 2_958_466 else { return number(serial) }
        var day = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(day)) * 86_400).rounded())
        if seconds >= 86_400 { day += 1; seconds -= 86_400 }
        if timeFormat && day == 0 { return clock(seconds) }

        let date: String
        if date1904 {
            date = civil(DateMath.days1904Epoch + day)
        } else if day == 60 {
            date = "1900-02-29"
        } else {
            date = civil((day > 60 ? DateMath.days18991230 : DateMath.days18991231) + day)
        }
        if seconds == 0 && !timeFormat { return date }
        return date + "T" + clock(seconds)
    }

    /// Renders the ISO 8601 text of a `t="d"` cell (`2024-03-05`, `2024-03-05T14:07:09.5Z`,
    /// `14:07:09`) the same way as a serial: seconds rounded, time part dropped when zero, a
    /// time-only value as `HH:MM:SS`. A zone designator is ignored: the wall-clock time is
    /// printed as written. Text that is not ISO 8601 is returned unchanged.
    public static func isoDateTime(_ text: String) -> String {
        guard let parsed = ISODateTime(text) else { return text }
        var day = parsed.day
        var seconds = Int(parsed.seconds.rounded())
        if seconds >= 86_400 { day += 1; seconds -= 86_400 }
        guard parsed.hasDate else { return clock(seconds) }
        let date = civil(day)
        return seconds == 0 ? date : date + "T" + clock(seconds)
    }

    /// `HH:MM:SS` for a second of the day.
    static func clock(_ seconds: Int) -> String {
        pad2(seconds / 3600) + ":" + pad2(seconds / 60 % 60) + ":" + pad2(seconds % 60)
    }

    /// `YYYY-MM-DD` for a day number counted from 1970-01-01.
    static func civil(_ days: Int) -> String {
        let (y, m, d) = CivilDay.date(days)
        let year = String(y)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + pad2(m) + "-" + pad2(d)
    }

    private static func pad2(_ v: Int) -> String { v < 10 ? "0" + String(v) : String(v) }
}

/// The spreadsheet epochs as day numbers (days since 1970-01-01).
enum DateMath {
    static let days18991230 = CivilDay.number(year: 1899, month: 12, day: 30)
    static let days18991231 = CivilDay.number(year: 1899, month: 12, day: 31)
    static let days1904Epoch = CivilDay.number(year: 1904, month: 1, day: 1)
}
