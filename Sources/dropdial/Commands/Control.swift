import ArgumentParser
import DropdialStore

/// `dropdial pause|resume|cancel ID`: batch control through the database; a running daemon
/// sees it on its next pass.
struct Control: ParsableArguments {
    @Argument(help: "Batch id (see `dropdial batches`).") var id: Int64
    @Flag(help: "Print {id, status} as JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func apply(_ command: BatchCommand) throws {
        let store = try options.load().openEngine()
        do {
            let status = try store.control(batch: id, command, strict: false)
            emit(json ? "{\"id\":\(id),\"status\":\"\(status)\"}\n" : "batch \(id): \(status)\n")
        } catch let error as BatchControlError {
            if case .unknownBatch = error { throw Exit.fail(Exit.usage, error.description) }
            throw Exit.fail(Exit.rejected, error.description)
        }
    }
}

struct Pause: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Pause a batch: no new attempts until resumed.")
    @OptionGroup var control: Control
    func run() throws { try control.apply(.pause) }
}

struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Resume a paused batch.")
    @OptionGroup var control: Control
    func run() throws { try control.apply(.resume) }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a batch: its pending calls are never dialed.")
    @OptionGroup var control: Control
    func run() throws { try control.apply(.cancel) }
}
