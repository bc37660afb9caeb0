import Foundation

/// A JSON array of contact objects (`add-calls`, seed 001's `callData`) as rows: a header row of
/// every key (`phoneNumber` first, then the keys in order of first appearance, each object's keys
/// sorted), then one row per object. Row N is the (N−1)th object, so errors name it as a
/// spreadsheet row would. Values render as text: strings as they are, integral numbers below 1e15
/// as digits, other numbers in shortest form, booleans `true`/`false`, null as `""`, nested
/// arrays and objects as compact JSON.
public final class JSONArrayRowSource: RowSource {
    public let format = FileFormat.json
    public let sheetName: String? = nil
    private var rows: [[String]]
    private var next = 0

    public convenience init(path: String, limits: ReaderLimits = .default) throws(ReaderError) {
        let data: Data
        do {
            let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            if size > limits.maxFileBytes { throw ReaderError.tooLarge(bytes: size, limit: limits.maxFileBytes) }
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as ReaderError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    public init(data: Data) throws(ReaderError) {
        let items: [Element]
        do {
            items = try JSONDecoder().decode([Element].self, from: data)
        } catch {
            throw .corrupt("not a JSON array of objects such as [{\"phoneNumber\": \"+14155550123\"}]")
        }
        var keys = ["phoneNumber"]
        var column = ["phoneNumber": 0]
        var objects: [[String: String]] = []
        for (i, item) in items.enumerated() {
            guard case .object(let object) = item else {
                throw .malformed(row: i + 2, reason: "element \(i + 1) of the array is not an object")
            }
            for key in object.keys.sorted() where column[key] == nil {
                column[key] = keys.count
                keys.append(key)
            }
            objects.append(object)
        }
        rows = [keys] + objects.map { object in keys.map { object[$0] ?? "" } }
    }

    public func nextRow() throws(ReaderError) -> SourceRow? {
        guard next < rows.count else { return nil }
        defer { next += 1 }
        return SourceRow(number: next + 1, cells: rows[next])
    }

    /// One array element: an object of cell texts, or anything else (refused).
    private enum Element: Decodable {
        case object([String: String])
        case other

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.singleValueContainer().decode([String: Cell].self) {
                self = .object(object.mapValues(\.text))
            } else {
                self = .other
            }
        }
    }

    /// One value rendered as a cell's text.
    private struct Cell: Decodable {
        var text: String

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() {
                text = ""
            } else if let b = try? c.decode(Bool.self) {
                text = b ? "true" : "false"
            } else if let s = try? c.decode(String.self) {
                text = s
            } else if let d = try? c.decode(Double.self) {
                text = abs(d) < 1e15 && d == d.rounded() ? String(Int64(d)) : "\(d)"
            } else {
                let nested = try c.decode(Nested.self)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                text = String(decoding: (try? encoder.encode(nested)) ?? Data(), as: UTF8.self)
            }
        }
    }

    /// Any JSON value, kept to be written back as text.
    private indirect enum Nested: Codable {
        case null, bool(Bool), number(Double), string(String), array([Nested]), object([String: Nested])

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if c.decodeNil() { self = .null }
            else if let b = try? c.decode(Bool.self) { self = .bool(b) }
            else if let d = try? c.decode(Double.self) { self = .number(d) }
            else if let s = try? c.decode(String.self) { self = .string(s) }
            else if let a = try? c.decode([Nested].self) { self = .array(a) }
            else { self = .object(try c.decode([String: Nested].self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .null: try c.encodeNil()
            case .bool(let b): try c.encode(b)
            case .number(let d): try c.encode(d)
            case .string(let s): try c.encode(s)
            case .array(let a): try c.encode(a)
            case .object(let o): try c.encode(o)
            }
        }
    }
}
