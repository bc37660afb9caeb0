import ArgumentParser
import Foundation

// A closed stdout (`dropdial inspect … | head`) or a dialer command that exits early must not kill us.
signal(SIGPIPE, SIG_IGN)

// Exit statuses per SPEC §2: 0 success, 1 input rejected, 2 usage/config, 3 internal/IO.
do {
    var command = try Dropdial.parseAsRoot()
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
} catch {
    let code = Dropdial.exitCode(for: error)
    if code == .success {
        print(Dropdial.fullMessage(for: error))
        Foundation.exit(0)
    }
    FileHandle.standardError.write(Data((Dropdial.fullMessage(for: error) + "\n").utf8))
    Foundation.exit(2)
}
