import DropdialBase
import DropdialConfig
import Foundation
import Synchronization
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
/// the second traps when a run is cancelled at the timeout.) Every wait — writing the call JSON,
/// reading the reply, waiting for the exit — is inside the timeout, and a cancelled call (the
/// daemon stopping) ends the same way within a tenth of a second.
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

    /// Why a run gave no reply.
    enum Failure: Error, Equatable, CustomStringConvertible {
        case spawn(Int32)
        case timedOut(Double)
        case cancelled
        case exitStatus(Int32)
        case signal(Int32)

        var description: String {
            switch self {
            case .spawn(let e): "cannot start the command: \(String(cString: strerror(e)))"
            case .timedOut(let s): "no reply within timeout_seconds (\(s) s); the command was killed"
            case .cancelled: "the dialer stopped before the command replied; the command was killed"
            case .exitStatus(let code): "the command exited with status \(code)"
            case .signal(let n): "the command was killed by signal \(n)"
            }
        }
    }

    public func place(_ call: CallRequest) async -> CallResult {
        guard !command.isEmpty else { return .failed("[dialer.exec] command is empty") }
        guard let input = try? JSONEncoder().encode(call) else { return .failed("the call cannot be encoded as JSON") }
        let started = Date()
        let command = self.command, timeout = timeoutSeconds
        let cancelled = CancelFlag()
        let run: Result<Data, Failure> = await withTaskCancellationHandler {
            await withCheckedContinuation { done in
                // A thread of its own for the blocking run, which lasts as long as the call: on a
                // Dispatch worker, 30 calls in flight waited for the pool to grow past the core
                // count, and the calls started late (bench/nodes.sh: 9 of 15 calls/s).
                let thread = Thread {
                    ThreadName.set("dd-exec")
                    done.resume(returning: Self.run(command, input: input, timeout: timeout, cancelled: { cancelled.isSet }))
                }
                thread.stackSize = 256 << 10
                thread.start()
            }
        } onCancel: {
            cancelled.set()
        }
        let output: Data
        switch run {
        case .success(let data): output = data
        case .failure(let failure): return .failed(failure.description)
        }
        guard let reply = try? JSONDecoder().decode(Reply.self, from: output) else {
            return .failed("the command's output is not {\"outcome\": …}: \(Self.excerpt(output))")
        }
        guard let outcome = CallOutcome(rawValue: reply.outcome) else {
            return .failed("the command answered an unknown outcome \"\(reply.outcome)\"")
        }
        return CallResult(outcome: outcome, durationSec: reply.durationSec ?? Date().timeIntervalSince(started))
    }

    /// The first 200 bytes of a reply, for a log line.
    static func excerpt(_ data: Data) -> String {
        let text = String(decoding: data.prefix(200), as: UTF8.self)
        return text.isEmpty ? "(nothing)" : "\"\(text)\""
    }

    /// Stdout of a run that exits 0 within `timeout` seconds (blocking). The call JSON is written
    /// without blocking as the command reads it, alongside reading its reply, so a command that
    /// never reads its stdin (and a call JSON larger than a pipe holds) cannot outlast the timeout.
    static func run(_ command: [String], input: Data, timeout: Double,
                    cancelled: () -> Bool = { false }) -> Result<Data, Failure> {
        let deadline = Date().addingTimeInterval(timeout)
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { return .failure(.spawn(errno)) }
        guard pipe(&fromChild) == 0 else {
            let e = errno
            close(toChild[0]); close(toChild[1])
            return .failure(.spawn(e))
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
        // The command starts with no signal blocked and every signal at its default action: the
        // spawning thread is a Dispatch worker, which blocks signals (a shell's `wait` then never
        // saw SIGCHLD and hung), and the daemon ignores SIGPIPE, which exec would pass on.
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attributes, 0)

        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let spawned = posix_spawn(&pid, command[0], &actions, &attributes, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard spawned == 0 else {
            close(toChild[1]); close(fromChild[0])
            return .failure(.spawn(spawned))
        }
        _ = fcntl(toChild[1], F_SETFL, fcntl(toChild[1], F_GETFL) | O_NONBLOCK)
        var exchange = Exchange(stdin: toChild[1], stdout: fromChild[0], input: input)
        var failure: Failure?
        var status: Int32 = 0
        var exited = false
        while true {
            if cancelled() { failure = .cancelled; break }
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { failure = .timedOut(timeout); break }
            let slice = min(remaining, 0.1)
            if exchange.stdout >= 0 {
                exchange.step(waitingAtMost: slice)
                continue
            }
            // Stdout is closed: the command is ending, or closed it and lives on.
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { exited = true; break }
            if r < 0 && errno != EINTR { failure = .exitStatus(-1); break }
            usleep(UInt32(min(slice, 0.01) * 1_000_000))
        }
        exchange.closeAll()
        if !exited {
            kill(-pid, SIGKILL)
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        }
        if let failure { return .failure(failure) }
        // Exited normally: (status & 0x7f) == 0 and the exit code is status >> 8.
        if status & 0x7f != 0 { return .failure(.signal(status & 0x7f)) }
        guard (status >> 8) & 0xff == 0 else { return .failure(.exitStatus((status >> 8) & 0xff)) }
        return .success(exchange.output)
    }
}

/// The two pipes of one run: the call JSON still to write (non-blocking) and the reply read so
/// far (at most 1 MiB kept). A descriptor is -1 once closed.
private struct Exchange {
    var stdin: Int32
    var stdout: Int32
    let input: Data
    var written = 0
    var output = Data()

    init(stdin: Int32, stdout: Int32, input: Data) {
        self.stdin = stdin
        self.stdout = stdout
        self.input = input
        if input.isEmpty { closeStdin() }
    }

    /// Waits up to `seconds` for either pipe, then writes what the command will take and reads
    /// what it printed.
    mutating func step(waitingAtMost seconds: Double) {
        var fds = [pollfd(fd: stdout, events: Int16(POLLIN), revents: 0)]
        if stdin >= 0 { fds.append(pollfd(fd: stdin, events: Int16(POLLOUT), revents: 0)) }
        let ready = poll(&fds, nfds_t(fds.count), Int32(seconds * 1000))
        if ready <= 0 { return }
        if fds.count > 1 && fds[1].revents != 0 {
            let n = input.withUnsafeBytes { write(stdin, $0.baseAddress! + written, $0.count - written) }
            if n > 0 {
                written += n
                if written == input.count { closeStdin() }
            } else if n < 0 && errno != EAGAIN && errno != EINTR {
                closeStdin()  // EPIPE: the command does not read its stdin; that is its business
            }
        }
        if fds[0].revents != 0 {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let n = read(stdout, &buffer, buffer.count)
            if n > 0 {
                if output.count < 1 << 20 { output.append(contentsOf: buffer[0..<n]) }
            } else if n == 0 || (errno != EAGAIN && errno != EINTR) {
                // The reply is complete; what the command has not read of its stdin it never will.
                close(stdout)
                stdout = -1
                closeStdin()
            }
        }
    }

    mutating func closeStdin() {
        if stdin >= 0 { close(stdin) }
        stdin = -1
    }

    mutating func closeAll() {
        closeStdin()
        if stdout >= 0 { close(stdout) }
        stdout = -1
    }
}

/// Set when the call's task is cancelled; the blocking run polls it.
private final class CancelFlag: Sendable {
    private let value = Atomic<Bool>(false)

    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}
