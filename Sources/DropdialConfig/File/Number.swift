/// A TOML number where a float is expected: `9` and `9.0` both decode (TOML keeps them apart).
struct Number: Decodable, Sendable {
    var value: Double

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let d = try? c.decode(Double.self) {
            value = d
        } else {
            value = Double(try c.decode(Int.self))
        }
    }
}
