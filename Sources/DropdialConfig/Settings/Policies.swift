/// What an invalid row does to its file: `skip` imports the valid rows, `reject` rejects the file.
public enum InvalidRowPolicy: String, Sendable, Codable, CaseIterable {
    case skip, reject
}

/// Seed `batchType`.
public enum BatchType: String, Sendable, Codable, CaseIterable {
    case outbound, mixed
}
