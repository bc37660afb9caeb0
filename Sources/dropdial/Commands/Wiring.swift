import ArgumentParser
import DropdialConfig
import DropdialImport
import Foundation
import DropdialStore

extension ConfigOptions {
    /// Loads the config or exits with status 2 and a message naming the bad key.
    func load() throws(ExitCode) -> DropdialConfig {
        do {
            return try DropdialConfig.load(path: config)
        } catch {
            throw Exit.fail(Exit.usage, error.description)
        }
    }

    func inbox(_ name: String?, in config: DropdialConfig) throws(ExitCode) -> InboxConfig {
        do {
            return try config.inbox(named: name)
        } catch {
            throw Exit.fail(Exit.usage, error.message)
        }
    }
}

extension DropdialConfig {
    /// Opens the configured database, an SQLite file or a PostgreSQL server, or exits with status 3.
    func openEngine() throws(ExitCode) -> any StoreEngine {
        guard PostgresStore.isURL(database) else { return try openStore() }
        do {
            return try PostgresStore(url: database, node: node)
        } catch {
            throw Exit.fail(Exit.internalError, error.description)
        }
    }

    /// Opens the configured SQLite database or exits with status 3.
    func openStore() throws(ExitCode) -> Store {
        do {
            return try Store(path: database, busyTimeout: busyTimeoutSeconds)
        } catch {
            throw Exit.fail(Exit.internalError, error.description)
        }
    }
}

/// Loads the `[dnc] files` that changed since they were last loaded (one-shot commands do what
/// the daemon does every few seconds); problems are warnings on stderr, never fatal: the numbers
/// last loaded from a file stay listed.
func syncDNCFiles(_ config: DropdialConfig, store: any StoreEngine) {
    do {
        for event in try DNCFile.sync(config.dnc, region: config.dncRegion, store: store) {
            switch event {
            case .missing(let path):
                FileHandle.standardError.write(Data("dropdial: warning: do-not-call file \(path) is missing; its last loaded numbers stay listed\n".utf8))
            case .failed(let path, let reason):
                FileHandle.standardError.write(Data("dropdial: warning: do-not-call file \(path): \(reason); its last loaded numbers stay listed\n".utf8))
            case .loaded, .dropped:
                break
            }
        }
    } catch {
        FileHandle.standardError.write(Data("dropdial: warning: do-not-call files not loaded: \(error)\n".utf8))
    }
}
