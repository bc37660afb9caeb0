import ArgumentParser
import DropdialBase
import DropdialStore
import Foundation

/// `dropdial keys create|list|revoke`: API keys for the HTTP service (SPEC §2, §8). A key is shown
/// once, when it is made; the database keeps only its SHA-256.
struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the HTTP API's keys.", subcommands: [KeysCreate.self, KeysList.self, KeysRevoke.self])
}

extension KeyRole: ExpressibleByArgument {}

struct KeysCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Make a key and print it once.")
    @Argument(help: "A name for the key (letters, digits, '-', '_', '.').") var name: String
    @Option(help: "viewer (reads), operator (also uploads, adds calls, pauses, resumes, cancels) or admin (also the do-not-call list).")
    var role: KeyRole = .viewer
    @Option(name: .customLong("inbox"), help: "Limit the key to this inbox (repeat for more); default: every inbox.")
    var inboxes: [String] = []
    @Flag(help: "Print {name, role, inboxes, key} as JSON.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let config = try options.load()
        for inbox in inboxes where !config.inboxes.contains(where: { $0.name == inbox }) {
            throw Exit.fail(Exit.usage, "--inbox \(inbox): no such inbox; known: \(config.inboxes.map(\.name).joined(separator: ", "))")
        }
        let store = try config.openEngine()
        do {
            let (key, secret) = try store.createKey(name: name, role: role, inboxes: inboxes)
            if json {
                emit(try JSONStyle.text(Created(name: key.name, role: key.role, inboxes: key.inboxes, key: secret)))
            } else {
                emit("\(secret)\n")
                FileHandle.standardError.write(Data("dropdial: key \"\(key.name)\" (\(key.role.rawValue)\(key.inboxes.isEmpty ? "" : ", inboxes " + key.inboxes.joined(separator: ","))) made; it is shown this once\n".utf8))
            }
        } catch let error as APIKeyError {
            throw Exit.fail(Exit.rejected, error.description)
        }
    }

    struct Created: Encodable {
        var name: String
        var role: KeyRole
        var inboxes: [String]
        var key: String
    }
}

struct KeysList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the keys (never the keys themselves).")
    @Flag(help: "Print a JSON array.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let keys = try options.load().openEngine().keys()
        if json {
            emit(try JSONStyle.text(keys))
            return
        }
        var text = "NAME\tROLE\tINBOXES\tCREATED\tREVOKED\n"
        for k in keys {
            text += "\(k.name)\t\(k.role.rawValue)\t\(k.inboxes.isEmpty ? "*" : k.inboxes.joined(separator: ","))\t"
                + "\(Timestamp.iso8601(k.createdAt))\t\(k.revokedAt.map(Timestamp.iso8601) ?? "-")\n"
        }
        emit(text)
    }
}

struct KeysRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a key: it stops working at once.")
    @Argument(help: "The key's name (see `dropdial keys list`).") var name: String
    @OptionGroup var options: ConfigOptions

    func run() throws {
        do {
            try options.load().openEngine().revokeKey(name: name)
            emit("key \(name): revoked\n")
        } catch let error as APIKeyError {
            throw Exit.fail(Exit.usage, error.description)
        }
    }
}
