import ArgumentParser

/// `dropdial`: the contact-import and dialing daemon's command line (SPEC §2).
struct Dropdial: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dropdial",
        abstract: "Import contact spreadsheets dropped into watched folders, and dial them.",
        subcommands: [Run.self, Import.self, Check.self, Inspect.self, Batches.self, BatchDetailsCommand.self, AddCalls.self,
                      DoNotCall.self, Pause.self, Resume.self, Cancel.self, Simulate.self, Keys.self, Export.self])
}

/// Options every command that reads the config shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Config file (default: ./dropdial.toml if present, else built-in defaults).")
    var config: String?
}
