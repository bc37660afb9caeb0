import Foundation

/// Runs the built `dropdial` binary in a scratch folder, as a user would.
public struct Binary: Sendable {
    public static let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    public static let samples = repo.appendingPathComponent("samples")

    /// The executable sits beside the test bundle in the build folder.
    public static let path: String = {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        while dir.path != "/" {
            let candidate = dir.appendingPathComponent("dropdial").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return repo.appendingPathComponent(".build/debug/dropdial").path
    }()

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String

        public func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    public let dir: URL

    /// A fresh working folder holding copies of the named sample files.
    public init(samples names: [String] = []) throws {
        dir = try Scratch.folder("dropdial-e2e")
        for name in names {
            try FileManager.default.copyItem(at: Self.samples.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
    }

    public func file(_ name: String) -> String { dir.appendingPathComponent(name).path }

    public func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent(name))
    }

    public func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: dir.appendingPathComponent(name))
    }

    public func report(_ name: String) throws -> [String: Any] {
        let data = try Data(contentsOf: dir.appendingPathComponent(name + ".report.json"))
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    /// Runs `dropdial args…` with the working folder as current directory.
    @discardableResult
    public func run(_ args: String...) throws -> Result { try run(args) }

    @discardableResult
    public func run(_ args: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = args
        process.currentDirectoryURL = dir
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // stderr is drained on its own thread: a command that writes more than a pipe holds
        // (64 KiB) to stderr would otherwise block while this thread waits on stdout.
        let stderrBox = DataBox()
        let drain = Thread { stderrBox.data = err.fileHandleForReading.readDataToEndOfFile(); stderrBox.done.signal() }
        drain.start()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        stderrBox.done.wait()
        let stderr = stderrBox.data
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

extension Dictionary where Key == String, Value == Any {
    public subscript(int key: String) -> Int? { (self[key] as? NSNumber)?.intValue }
    public subscript(string key: String) -> String? { self[key] as? String }
    public var counts: [String: Int] {
        (self["counts"] as? [String: Any] ?? [:]).compactMapValues { ($0 as? NSNumber)?.intValue }
    }
}

extension Binary {
    /// Runs `dropdial args…` in the working folder as a user other than the test's own when the
    /// tests run as root (`nobody`, through setpriv(1)), since mode bits do not bind root; the
    /// folder is opened to everyone so that user can write the database and reports. Returns the
    /// exit status and stdout (stderr is dropped).
    public func runAsOtherUser(_ args: String...) throws -> (status: Int32, stdout: Data) {
        let p = Process()
        let command = [Self.path] + args
        if geteuid() == 0 {
            chmod(dir.path, 0o777)
            p.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            p.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups"] + command
        } else {
            p.executableURL = URL(fileURLWithPath: command[0])
            p.arguments = Array(command.dropFirst())
        }
        p.currentDirectoryURL = dir
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, data)
    }
}

/// Bytes handed from a reader thread, with a semaphore for "done".
private final class DataBox: @unchecked Sendable {
    var data = Data()
    let done = DispatchSemaphore(value: 0)
}
