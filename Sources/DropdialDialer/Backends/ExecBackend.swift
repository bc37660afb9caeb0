import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Marks every open descriptor above stderr close-on-exec, so a spawned command (and anything it
/// leaves running) holds none of the daemon's files, sockets or pipes; `posix_spawn` offers no
/// portable "close the rest" action here.
private func closeOnExecAll() {
    guard let dir = opendir("/proc/self/fd") else { return }
    defer { closedir(dir) }
    let own = dirfd(dir)
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        guard let fd = Int32(name), fd > 2, fd != own else { continue }
        let flags = fcntl(fd, F_GETFD)
        if flags >= 0 && flags & FD_CLOEXEC == 0 { _ = fcntl(fd, F_SETFD, flags | FD_CLOEXEC) }
    }
}

/// One process per call: the call JSON on stdin, `{"outcome": …, "durationSec": …}` on stdout.
/// A timeout, a non-zero exit or unreadable output is `failed`.
///
/// Spawned with posix_spawn in its own process group, so a timeout kills the command and anything
/// it started; only its stdin/stdout/stderr are inherited. (Foundation's `Process` and
/// swift-subprocess 1.0.2 were tried: the first let concurrent calls wait on each other's pipes,
/// the second traps when a run is cancelled at the timeout.)
public struct ExecBackend: CallBackend {
    public let command: [String]
    public let timeoutSeconds: Double

    public init(command: [String], timeoutSeconds: Double = 120) {
        self.command = command
        self.timeoutSeconds = timeoutSeconds
        // A command that exits without reading its stdin must not kill the daemon with SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
    }

    struct Reply: Decodable {
        var outcome: String
        var durationSec: Double?
    }

    public func place(_ call: CallRequest) async -> CallResult {
        let failed = CallResult(outcome: .failed, durationSec: 0)
        guard let input = try? JSONEncoder().encode(call), !command.isEmpty else { return failed }
        let started = Date()
        let command = self.command, timeout = timeoutSeconds
        let output: Data? = await withCheckedContinuation { done in
            DispatchQueue.global().async { done.resume(returning: Self.run(command, input: input, timeout: timeout)) }
        }
        guard let output, let reply = try? JSONDecoder().decode(Reply.self, from: output),
              let outcome = CallOutcome(rawValue: reply.outcome) else { return failed }
        return CallResult(outcome: outcome, durationSec: reply.durationSec ?? Date().timeIntervalSince(started))
    }

    /// Stdout of a run that exits 0 within `timeout` seconds; nil otherwise (blocking).
    static func run(_ command: [String], input: Data, timeout: Double) -> Data? {
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { return nil }
        guard pipe(&fromChild) == 0 else {
            close(toChild[0]); close(toChild[1])
            return nil
        }
        // Close-on-exec, so a command spawned for another call never holds these pipes open.
        for fd in toChild + fromChild { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        closeOnExecAll()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            return nil
        }
        let deadline = Date().addingTimeInterval(timeout)
        // The call JSON is small (well under a pipe buffer); a command that ignores stdin is fine.
        input.withUnsafeBytes { _ = write(toChild[1], $0.baseAddress, $0.count) }
        close(toChild[1])

        var output = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var timedOut = false
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { timedOut = true; break }
            var fd = pollfd(fd: fromChild[0], events: Int16(POLLIN), revents: 0)
            let ready = poll(&fd, 1, Int32(min(remaining, 1) * 1000))
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let n = read(fromChild[0], &buffer, buffer.count)
            if n <= 0 { break }
            if output.count < 1 << 20 { output.append(contentsOf: buffer[0..<n]) }
        }
        close(fromChild[0])
        if timedOut { kill(-pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if timedOut { return nil }
        // Exited normally with status 0: (status & 0x7f) == 0 and the exit code (status >> 8) == 0.
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else { return nil }
        return output
    }
}
