import DropdialBase
import ArgumentParser
import DropdialConfig
import DropdialImport
import DropdialStore
import Foundation

/// `dropdial dnc add|remove|list|import`: the do-not-call list no call gets past.
struct DoNotCall: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dnc", abstract: "Manage the do-not-call list.",
        subcommands: [DNCAdd.self, DNCRemove.self, DNCList.self, DNCImport.self])
}

/// Numbers given on the command line, in E.164, or exit 1 naming the ones that are not valid.
struct DNCNumbers: ParsableArguments {
    @Argument(help: "Phone numbers (any spelling; read in --region when they lack a country code).") var numbers: [String]
    @Option(help: "Region for numbers without a country code (default: [dnc] region, else the first inbox's).") var region: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func normalized(_ config: DropdialConfig) throws -> [String] {
        let region = self.region ?? config.dncRegion
        var valid: [String] = []
        var invalid: [String] = []
        for number in numbers {
            if let e164 = PhoneNumbers.e164(number, region: region) { valid.append(e164) } else { invalid.append(number) }
        }
        guard invalid.isEmpty else {
            throw Exit.fail(Exit.rejected, "not a valid phone number in region \(region): \(invalid.joined(separator: ", ")); nothing was changed")
        }
        return valid
    }
}

struct DNCAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "List numbers as do-not-call.")
    @OptionGroup var args: DNCNumbers

    func run() throws {
        let config = try args.options.load()
        let numbers = try args.normalized(config)
        let store = try config.openEngine()
        let fresh = try store.addToDNC(numbers, source: .manual, at: Date())
        if args.json {
            emit(try JSONStyle.text(DNCAddOutput(listed: numbers, new: fresh)))
        } else {
            emit("listed \(numbers.count) number(s), \(fresh) new: \(numbers.joined(separator: " "))\n")
        }
    }
}

struct DNCRemove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove", abstract: "Unlist numbers added by `dnc add`/`dnc import` or by a declined call.")
    @OptionGroup var args: DNCNumbers

    func run() throws {
        let config = try args.options.load()
        let numbers = try args.normalized(config)
        let store = try config.openEngine()
        let results = try store.removeFromDNC(numbers)
        let lines = zip(numbers, results).map(DNCRemoveLine.init)
        if args.json {
            emit(try JSONStyle.text(lines))
        } else {
            emit(lines.map { line in
                switch line.result {
                case "removed": "\(line.phoneNumber): removed\n"
                case "not_listed": "\(line.phoneNumber): was not listed\n"
                default: "\(line.phoneNumber): still listed by \(line.files!.joined(separator: ", ")); edit that file to unlist it\n"
                }
            }.joined())
        }
    }
}

struct DNCList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Print the do-not-call list.")
    @Flag(help: "Print a JSON array of {phoneNumber, sources, addedAt}.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let store = try config.openEngine()
        syncDNCFiles(config, store: store)
        let entries = try store.dncEntries()
        let lines = entries.map(DNCListLine.init)
        if json {
            emit(try JSONStyle.text(lines))
        } else {
            emit(lines.map { "\($0.phoneNumber)\t\($0.sources.joined(separator: ","))\t\(Timestamp.iso8601($0.addedAt))\n" }.joined())
        }
    }
}

struct DNCImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "List every number of a file (CSV, TSV, TXT, XLSX, XLS) as do-not-call.")
    @Argument(help: "A file with a phone column (the import's header names), or one number per row.") var file: String
    @Option(help: "Region for numbers without a country code (default: [dnc] region, else the first inbox's).") var region: String?
    @Flag(help: "Print JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        let contents: DNCFile.Contents
        do {
            contents = try DNCFile.read(path: file, region: region ?? config.dncRegion)
        } catch {
            throw Exit.fail(Exit.rejected, "\(file): \(error.description)")
        }
        let store = try config.openEngine()
        let fresh = try store.addToDNC(contents.numbers, source: .manual, at: Date())
        let output = DNCImportOutput(file: file, listed: contents.numbers.count, new: fresh, invalid: contents.invalid)
        if json {
            emit(try JSONStyle.text(output))
        } else {
            var text = "\(file): listed \(output.listed) number(s), \(fresh) new, \(contents.invalid.count) invalid\n"
            for bad in contents.invalid.prefix(100) { text += "row \(bad.row): \"\(bad.value)\" is not a valid phone number\n" }
            emit(text)
        }
        if contents.numbers.isEmpty { throw Exit.fail(Exit.rejected, "\(file): no valid phone number in the file") }
    }
}

struct DNCImportOutput: Encodable {
    var file: String
    var listed: Int
    var new: Int
    var invalid: [DNCFile.Invalid]
}

