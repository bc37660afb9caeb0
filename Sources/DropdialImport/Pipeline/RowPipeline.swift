import DropdialConfig
import DropdialReaders

/// Streams one file's rows through header mapping, validation and in-file dedupe, handing each
/// valid contact to `sink` and filling the report's counts, errors and status.
public struct RowPipeline: Sendable {
    public let settings: BatchSettings
    public var hooks = ImportHooks()
    /// When true the sink finds in-file duplicates itself (the store's unique index, see
    /// `ConcurrentImport`): every valid row goes to the sink and counts as imported here; the caller
    /// moves the duplicates from `imported` to `duplicates` afterwards. Else an in-memory set does it.
    public var sinkDedupes = false
    /// Numbers on the do-not-call list: such rows count as `suppressed` and are not imported.
    public var suppression = SuppressionList.empty

    public init(settings: BatchSettings, hooks: ImportHooks = ImportHooks()) {
        self.settings = settings
        self.hooks = hooks
    }

    /// Reads `source` to the end. Returns normally with `report.status` set to `imported` or
    /// `rejected`; reader failures become file-level rejections.
    public func run(_ source: any RowSource, report: inout ImportReport, sink: (CallDraft) throws -> Void) throws {
        report.format = source.format.rawValue
        report.sheet = source.sheetName
        do {
            try stream(source, report: &report, sink: sink)
        } catch let error as ReaderError {
            report.reject(code: error.code, error.description)
        }
    }

    private func stream(_ source: any RowSource, report: inout ImportReport, sink: (CallDraft) throws -> Void) throws {
        var header: HeaderMap?
        var validator: RowValidator?
        var seen: [UInt64: Int] = [:]
        var sawAnyRow = false
        var headerCells: [String] = []
        while let row = try source.nextRow() {
            sawAnyRow = true
            if row.number & 1023 == 0 {
                if hooks.isCancelled() { throw ImportCancelled() }
                hooks.onProgress?(row.number)
            }
            if row.isBlank { continue }
            guard let validator else {
                do {
                    let map = try HeaderMap(header: row.cells, requiredVariables: settings.requiredVariables)
                    header = map
                    headerCells = row.cells
                    validator = RowValidator(header: map, phones: PhoneNormalizer(region: settings.region),
                                             batchTimezone: settings.timezone)
                } catch {
                    rejectHeader(error, row: row.number, report: &report)
                    return
                }
                continue
            }
            report.counts.rows += 1
            switch validator.validate(row.cells, number: row.number) {
            case .failure(let list):
                report.counts.invalid += 1
                record(list.issues, in: &report)
                hooks.onInvalidRow?(headerCells, row.cells, list.issues)
            case .success(let valid):
                if suppression.contains(valid.phone) {
                    report.counts.suppressed += 1
                    if report.suppressedRows.count < ImportReport.listLimit {
                        report.suppressedRows.append(.init(row: row.number, phoneNumber: valid.phone))
                    }
                    continue
                }
                let key = sinkDedupes ? 0 : Self.dedupeKey(valid.phone)
                if !sinkDedupes, let first = seen[key] {
                    report.counts.duplicates += 1
                    if report.duplicateRows.count < ImportReport.listLimit {
                        report.duplicateRows.append(.init(row: row.number, phoneNumber: valid.phone, firstRow: first))
                    }
                    continue
                }
                if !sinkDedupes { seen[key] = row.number }
                report.counts.imported += 1
                try sink(CallDraft(rowNumber: row.number, phoneNumber: valid.phone, variablesJSON: valid.variablesJSON,
                                   timezone: valid.timezone, zones: valid.zones))
            }
        }
        if !sawAnyRow {
            report.reject(code: "empty_file", "the file is empty")
        } else if header == nil {
            report.reject(code: "no_header", "the file has no header row (every row is empty)")
        } else if report.counts.rows == 0 {
            report.reject(code: "no_data_rows", "the file has a header row but no data rows")
        } else if report.counts.invalid > 0 && settings.invalidRows == .reject {
            report.reject(code: "invalid_rows",
                          "\(report.counts.invalid) invalid row(s) and this inbox's policy is reject: fix them (see errors) and drop the file again")
        } else if report.counts.imported == 0 && report.counts.suppressed > 0 && report.counts.invalid == 0 {
            report.reject(code: "all_suppressed", "every contact in the file is on the do-not-call list (see suppressedRows)")
        } else if report.counts.imported == 0 {
            report.reject(code: "no_valid_rows", "no row holds a valid contact (see errors)")
        } else {
            report.status = .imported
        }
    }

    private func record(_ issues: [RowIssue], in report: inout ImportReport) {
        for issue in issues {
            if report.errors.count < ImportReport.listLimit {
                report.errors.append(issue)
            } else {
                report.errorsTruncated = true
            }
        }
    }

    private func rejectHeader(_ error: HeaderMap.Failure, row: Int, report: inout ImportReport) {
        switch error {
        case .looksLikeData(let cell):
            report.reject(code: "no_header",
                          "row \(row) holds data (\"\(cell)\"), not a header: add a header row naming the columns, e.g. phone_number")
        case .noPhoneColumn(let found):
            report.reject(code: "no_phone_column",
                          "no phone column in the header (row \(row): \(found.joined(separator: ", "))); name it phoneNumber, phone_number, phone or mobile")
        case .requiredColumnsMissing(let names):
            report.reject(code: "required_column_missing",
                          "required variable column(s) missing from the header: \(names.joined(separator: ", "))")
        }
    }

    /// E.164 numbers are at most 15 digits, so the digits fit a UInt64 key: a compact dedupe set.
    static func dedupeKey(_ e164: String) -> UInt64 {
        var v: UInt64 = 0
        for b in e164.utf8 where b >= 48 && b <= 57 { v = v &* 10 &+ UInt64(b - 48) }
        return v
    }
}
