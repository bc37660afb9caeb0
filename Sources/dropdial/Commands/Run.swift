import ArgumentParser
import DropdialConfig
import DropdialDaemon
import Logging

/// `dropdial run`: the daemon — watch every inbox, import, archive; stops cleanly on SIGINT/SIGTERM.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon: watch every inbox, import, archive.")

    @OptionGroup var options: ConfigOptions

    func runDaemon() async throws {
        let config = try options.load()
        if let (key, message) = FolderLayout.missingFolders(config).first {
            throw Exit.fail(Exit.usage, "\(options.config ?? "dropdial.toml"): \(key): \(message)")
        }
        let lock: DaemonLock?
        do {
            lock = try DaemonLock.acquire(database: config.database)
        } catch let held as DaemonLock.Held {
            throw Exit.fail(Exit.usage, held.description)
        } catch {
            throw Exit.fail(Exit.internalError, "\(error)")
        }
        defer { withExtendedLifetime(lock) {} }
        let format = config.log.format
        LoggingSystem.bootstrap { label in
            switch format {
            case .json:
                return JSONLogHandler(label: label)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = .info
                return handler
            }
        }
        let store = try config.openEngine()
        do {
            try await Daemon.run(config: config, store: store, logger: Logger(label: "dropdial"))
        } catch {
            throw Exit.fail(Exit.internalError, "\(error)")
        }
    }
}
