import Foundation

/// What `dnc list --json` and `GET /api/dnc` print, one entry per number.
public struct DNCListLine: Encodable, Sendable, Equatable {
    public var phoneNumber: String
    public var sources: [String]
    public var addedAt: Date

    public init(_ entry: DNCEntry) {
        phoneNumber = entry.phoneNumber
        sources = entry.sources.map(\.stored)
        addedAt = entry.addedAt
    }
}

/// What `dnc add --json` and `POST /api/dnc` answer.
public struct DNCAddOutput: Encodable, Sendable, Equatable {
    public var listed: [String]
    public var new: Int

    public init(listed: [String], new: Int) {
        self.listed = listed
        self.new = new
    }
}

/// What `dnc remove --json` prints for each number.
public struct DNCRemoveLine: Encodable, Sendable, Equatable {
    public var phoneNumber: String
    /// `removed`, `not_listed` or `listed_by_file`.
    public var result: String
    public var files: [String]?

    public init(_ phoneNumber: String, _ removal: DNCRemoval) {
        self.phoneNumber = phoneNumber
        switch removal {
        case .removed: (result, files) = ("removed", nil)
        case .notListed: (result, files) = ("not_listed", nil)
        case .keptByFiles(let f): (result, files) = ("listed_by_file", f)
        }
    }
}
