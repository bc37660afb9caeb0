import DropdialTestKit
@testable import DropdialPickup
import Testing

@Suite struct NamesTests {
    @Test(arguments: [
        ("contacts.csv", NameClass.take), ("CONTACTS.XLSX", .take), ("list.tsv", .take), ("a.txt", .take),
        ("old.xls", .take), ("photo.jpg", .take), ("README", .take), ("contacts (2).csv", .take),
        (".hidden.csv", .ignore), (".dropdial-work", .ignore), ("x.csv.filepart", .ignore),
        ("x.csv.FILEPART", .ignore), ("x.partial", .ignore), ("x.part", .ignore), ("x.TMP", .ignore),
        ("x.lftp", .ignore), ("x.csv.crdownload", .ignore), ("~$contacts.xlsx", .ignore),
        ("contacts.csv.report.json", .ignore), ("contacts.csv.errors.csv", .ignore),
        ("contacts.batch.json", .ignore), ("Contacts.BATCH.JSON", .ignore),
        ("processed", .ignore), ("failed", .ignore), ("", .ignore),
    ])
    func classification(name: String, expected: NameClass) {
        #expect(PickupNames.classify(name) == expected, "\(name)")
    }

    @Test func acceptedExtensionsAreCaseInsensitive() {
        for name in ["a.csv", "a.TSV", "a.Txt", "a.xlsx", "a.XLS"] { #expect(PickupNames.isAcceptedData(name)) }
        for name in ["a.jpg", "README", "a.csv.zip", ".csv"] { #expect(!PickupNames.isAcceptedData(name)) }
    }

    @Test func manifestNameDropsTheLastExtension() {
        #expect(PickupNames.manifestName(for: "contacts.csv") == "contacts.batch.json")
        #expect(PickupNames.manifestName(for: "q1.leads.xlsx") == "q1.leads.batch.json")
        #expect(PickupNames.manifestName(for: "README") == "README.batch.json")
    }

    @Test func ignoredNamesSayWhy() {
        #expect(PickupNames.reasonIgnored("x.filepart")?.contains("in flight") == true)
        #expect(PickupNames.reasonIgnored("contacts.csv") == nil)
    }
}
