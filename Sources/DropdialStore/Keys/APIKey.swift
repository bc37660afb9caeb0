import Crypto
import DropdialBase
import Foundation

/// What a key may do (SPEC §8): `viewer` reads; `operator` also uploads, adds calls, pauses,
/// resumes and cancels; `admin` does all of that and writes the do-not-call list.
public enum KeyRole: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case viewer, `operator`, admin

    private var rank: Int {
        switch self {
        case .viewer: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (a: KeyRole, b: KeyRole) -> Bool { a.rank < b.rank }
}

/// One stored API key: never the key itself, only its SHA-256.
public struct APIKey: Sendable, Equatable, Encodable {
    public var id: Int64
    public var name: String
    public var role: KeyRole
    /// The inboxes the key may see; empty: every inbox.
    public var inboxes: [String]
    public var createdAt: Date
    @NullWhenAbsent public var revokedAt: Date?

    /// True when the key may see `inbox`'s files, batches and calls.
    public func sees(inbox: String) -> Bool { inboxes.isEmpty || inboxes.contains(inbox) }
}

/// A key as it is handed out once: `dd_` and 43 characters of base64url (256 random bits).
public enum APIKeySecret {
    public static func generate() -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: .min ... .max, using: &rng) }
        let text = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "dd_" + text
    }

    /// The hex SHA-256 the store keeps.
    public static func hash(_ key: String) -> String {
        // By hand: String(format:) per byte was 4% of every API request.
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in SHA256.hash(data: Data(key.utf8)) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two equal-length hex digests without an early exit, so timing says nothing
    /// about how much of a guess was right.
    public static func equalInConstantTime(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in x.indices { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
