import ArgumentParser
import DropdialConfig
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
    /// Opens the configured database or exits with status 3.
    func openStore() throws(ExitCode) -> Store {
        do {
            return try Store(path: database, busyTimeout: busyTimeoutSeconds)
        } catch {
            throw Exit.fail(Exit.internalError, error.description)
        }
    }
}
