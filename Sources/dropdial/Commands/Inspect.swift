import DropdialBase
import ArgumentParser
import DropdialImport
import DropdialReaders

/// `dropdial inspect FILE`: the first sheet's rows exactly as the reader sees them (SPEC §4).
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the rows the reader sees, no validation. --json: one JSON array of strings per row.")

    @Argument(help: "A .csv, .tsv, .txt, .xlsx, .xlsm or .xls file.") var file: String
    @Flag(help: "One JSON array of strings per line, one line per row, header row first.") var json = false

    func run() throws {
        let source: any RowSource
        do {
            source = try RowReader.open(path: file)
        } catch {
            throw Exit.fail(Exit.rejected, error.description)
        }
        var out = OutputBuffer()
        do {
            while let row = try source.nextRow() {
                if json {
                    JSONLine.append(row.cells, to: &out.text)
                } else {
                    out.text += String(row.number) + "\t" + row.cells.joined(separator: "\t")
                }
                out.text += "\n"
                out.flushIfLarge()
            }
        } catch {
            out.flush()
            throw Exit.fail(Exit.rejected, error.description)
        }
        out.flush()
    }
}

/// Batches stdout writes so a million rows do not cost a million syscalls.
struct OutputBuffer {
    var text = ""

    mutating func flushIfLarge() {
        if text.utf8.count > 1 << 16 { flush() }
    }

    mutating func flush() {
        emit(text)
        text = ""
    }
}

/// A JSON array of strings on one line.
enum JSONLine {
    static func append(_ cells: [String], to out: inout String) {
        out += "["
        for (i, cell) in cells.enumerated() {
            if i > 0 { out += "," }
            JSONEscape.appendString(cell, to: &out)
        }
        out += "]"
    }
}
