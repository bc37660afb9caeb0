import ArgumentParser
import DropdialImport
import Foundation

/// The exit statuses of SPEC §2.
enum Exit {
    static let rejected = ExitCode(1)
    static let usage = ExitCode(2)
    static let internalError = ExitCode(3)

    /// Prints `message` to stderr and returns the status to throw.
    static func fail(_ code: ExitCode, _ message: String) -> ExitCode {
        FileHandle.standardError.write(Data(("dropdial: " + message + "\n").utf8))
        return code
    }

    /// The status a finished import or check exits with.
    static func status(of report: ImportReport) -> ExitCode {
        switch report.status {
        case .imported, .duplicate: .success
        case .rejected: rejected
        case .failed: internalError
        }
    }
}

/// Writes text to stdout in one call (data on stdout, logs on stderr); a reader that went away
/// (`| head`) ends the command quietly.
func emit(_ text: String) {
    do {
        try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    } catch {
        exit(0)
    }
}
