import ArgumentParser
import Foundation

// A closed stdout (`dropdial inspect … | head`) or a dialer command that exits early must not kill us.
signal(SIGPIPE, SIG_IGN)

// Exit statuses per SPEC §2: 0 success, 1 input rejected, 2 usage/config, 3 store, I/O or internal.
// Only the argument parser's own errors (and `ValidationError`) mean usage; anything else a command
// throws without turning it into an `ExitCode` itself is a fault of the store, the disk or ours.
let command: any ParsableCommand
do {
    command = try Dropdial.parseAsRoot()
} catch {
    let code = Dropdial.exitCode(for: error)
    if code == .success {
        print(Dropdial.fullMessage(for: error))
        Foundation.exit(0)
    }
    FileHandle.standardError.write(Data((Dropdial.fullMessage(for: error) + "\n").utf8))
    Foundation.exit(2)
}
do {
    var command = command
    if let daemon = command as? Run {
        // Called by name: through the existential, ArgumentParser's sync default would win.
        try await daemon.runDaemon()
    } else if let simulate = command as? Simulate {
        try await simulate.runSimulation()
    } else {
        try command.run()
    }
} catch let exit as ExitCode {
    Foundation.exit(exit.rawValue)
} catch let usage as ValidationError {
    FileHandle.standardError.write(Data(("dropdial: \(usage.message)\n").utf8))
    Foundation.exit(2)
} catch where Dropdial.exitCode(for: error) == .success {
    // `--help` parses to ArgumentParser's help command, whose run() throws the help request.
    print(Dropdial.fullMessage(for: error))
    Foundation.exit(0)
} catch {
    FileHandle.standardError.write(Data(("dropdial: \(error)\n").utf8))
    Foundation.exit(3)
}
