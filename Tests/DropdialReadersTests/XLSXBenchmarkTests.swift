import DropdialTestKit
import DropdialReaders
import Foundation
import Testing

/// Manual throughput check, off unless `DROPDIAL_XLSX_BENCH=/path/to/file.xlsx` is set:
/// `DROPDIAL_XLSX_BENCH=big.xlsx swift test -c release --filter XLSXBenchmark`.
@Suite struct XLSXBenchmarkTests {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["DROPDIAL_XLSX_BENCH"] != nil))
    func readWholeFile() throws {
        let path = ProcessInfo.processInfo.environment["DROPDIAL_XLSX_BENCH"]!
        let clock = ContinuousClock()
        var rows = 0, cells = 0
        var outcome = "ok"
        let elapsed = clock.measure {
            do throws(ReaderError) {
                let source = try XLSXRowSource(path: path, limits: .default)
                while let row = try source.nextRow() {
                    rows += 1
                    cells += row.cells.count
                }
            } catch {
                outcome = "\(error)"
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("XLSX bench: \(rows) rows, \(cells) cells in \(seconds) s = \(Int(Double(rows) / seconds)) rows/s (\(outcome))")
    }
}
