import Foundation

/// Runs the built `dropdial` binary in a scratch folder, as a user would.
struct Binary {
    static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let samples = repo.appendingPathComponent("samples")

    /// The executable sits beside the test bundle in the build folder.
    static let path: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("dropdial").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/dropdial").path
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    let dir: URL

    /// A fresh working folder holding copies of the named sample files.
    init(samples names: [String] = []) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("dropdial-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for name in names {
            try FileManager.default.copyItem(at: Self.samples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
    }

    func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: dir.appendingPathComponent(name))
    }

    func report(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent(name + ".report.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Runs `dropdial args…` with the working folder as current directory.
    @discardableResult
    func run(_ args: String...) throws -> Result { try run(args) }

    @discardableResult
    func run(_ args: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = args
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension Dictionary where Key == String, Value == Any {
    subscript(int key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    subscript(string key: String) -> String? { self[key] as? String }
    var counts: [String: Int] {
        (self["counts"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}
