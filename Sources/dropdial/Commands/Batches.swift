import DropdialBase
import ArgumentParser
import DropdialImport
import DropdialPickup
import DropdialStore
import Foundation

/// `dropdial batches`: one line per batch with its status and counts.
struct Batches: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List batches with their status and counts.")

    @Flag(help: "Print a JSON array.") var json = false
    @OptionGroup var options: ConfigOptions

    func run() throws {
        let store = try options.load().openEngine()
        let list = try store.batches()
        if json {
            emit(try JSONStyle.text(list))
            return
        }
        var text = "ID\tSTATUS\tINBOX\tROWS\tIMPORTED\tINVALID\tDUPLICATES\tSUPPRESSED\tNAME\n"
        for b in list {
            let c = b.counts
            text += "\(b.id)\t\(b.status)\t\(b.inbox)\t\(c.rows)\t\(c.imported)\t\(c.invalid)\t\(c.duplicates)\t\(c.suppressed)\t\(PickupNames.printable(b.name))\n"
        }
        emit(text)
    }
}
