import DropdialBase
import Foundation

/// Reads and writes reports; writing is atomic (temp file in the same folder, then rename).
public enum ReportFile {
    /// The report as pretty JSON with sorted keys, one list entry per line: `JSONStyle` written by
    /// hand, because JSONEncoder's value tree for 100,000 errors would cost ~100 MB. `decode`
    /// (the synthesized-style `Decodable`) reads it back; a test holds the two to each other.
    public static func encode(_ report: ImportReport) throws -> Data {
        var out = "{\n"
        var first = true
        func key(_ name: String) {
            out += first ? "  \"" : ",\n  \""
            first = false
            out += name + "\" : "
        }
        func string(_ s: String?) {
            if let s { JSONEscape.appendString(s, to: &out) } else { out += "null" }
        }
        let c = report.counts
        key("batchId"); out += report.batchId.map { String($0) } ?? "null"
        key("counts")
        out += "{\"duplicates\":\(c.duplicates),\"imported\":\(c.imported),\"invalid\":\(c.invalid),"
            + "\"rows\":\(c.rows),\"suppressed\":\(c.suppressed)}"
        if report.dryRun { key("dryRun"); out += "true" }
        if let d = report.duplicateOf { key("duplicateOf"); out += String(d) }
        key("duplicateRows")
        list(report.duplicateRows, into: &out) { d, o in
            o += "{\"firstRow\":\(d.firstRow),\"phoneNumber\":"
            JSONEscape.appendString(d.phoneNumber, to: &o)
            o += ",\"row\":\(d.row)}"
        }
        key("durationMs"); out += String(Int((report.finishedAt.timeIntervalSince(report.startedAt) * 1000).rounded()))
        key("error"); string(report.error)
        key("errorCode"); string(report.errorCode)
        key("errors")
        list(report.errors, into: &out) { e, o in
            o += "{\"code\":\"\(e.code.rawValue)\",\"column\":"
            JSONEscape.appendString(e.column, to: &o)
            o += ",\"message\":"
            JSONEscape.appendString(e.message, to: &o)
            o += ",\"row\":\(e.row),\"value\":"
            JSONEscape.appendString(e.value, to: &o)
            o += "}"
        }
        if report.errorsTruncated { key("errorsTruncated"); out += "true" }
        key("file"); string(report.file)
        key("finishedAt"); string(Timestamp.iso8601(report.finishedAt))
        key("format"); string(report.format)
        key("inbox"); string(report.inbox)
        key("policy"); string(report.policy)
        if let received = report.receivedAs { key("receivedAs"); string(received) }
        key("sha256"); string(report.sha256)
        key("sheet"); string(report.sheet)
        key("startedAt"); string(Timestamp.iso8601(report.startedAt))
        key("status"); string(report.status.rawValue)
        key("suppressedRows")
        list(report.suppressedRows, into: &out) { d, o in
            o += "{\"phoneNumber\":"
            JSONEscape.appendString(d.phoneNumber, to: &o)
            o += ",\"row\":\(d.row)}"
        }
        out += "\n}\n"
        return Data(out.utf8)
    }

    /// `[]`, or one entry per line.
    private static func list<T>(_ items: [T], into out: inout String, _ entry: (T, inout String) -> Void) {
        guard !items.isEmpty else {
            out += "[]"
            return
        }
        out += "[\n"
        for (i, item) in items.enumerated() {
            out += i == 0 ? "    " : ",\n    "
            entry(item, &out)
        }
        out += "\n  ]"
    }

    /// Writes `report` to `path` atomically: readers see the old file or the whole new one.
    public static func write(_ report: ImportReport, to path: String) throws {
        try AtomicFile.write(try encode(report), to: path)
    }

    public static func read(_ path: String) throws -> ImportReport {
        try decode(Data(contentsOf: URL(fileURLWithPath: path)))
    }

    public static func decode(_ data: Data) throws -> ImportReport {
        try JSONStyle.decoder().decode(ImportReport.self, from: data)
    }
}

/// Temp file + fsync + rename, so a crash never leaves half a file under the final name.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        try data.write(to: temp)
        let fd = open(temp.path, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temp.path)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "rename to \(path): \(reason)"])
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
