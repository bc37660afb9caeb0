import DropdialTestKit
import DropdialConfig
import Foundation
import Testing

/// Folder layouts that lose data or import twice are configuration errors naming both keys.
@Suite struct FolderLayoutTests {
    func problem(_ toml: String) -> ConfigError? {
        do {
            _ = try DropdialConfig.parse(toml)
            return nil
        } catch {
            return error
        }
    }

    @Test func theDatabaseInsideAnInboxIsRefused() throws {
        let e = try #require(problem("""
            database = "a/dropdial.sqlite"
            [[inbox]]
            path = "a"
            """))
        #expect(e.key == "database")
        #expect(e.message.contains("inbox[0].path"))
        #expect(problem("""
            database = "a/processed/deep/x.sqlite"
            [[inbox]]
            path = "./a/"
            """)?.key == "database")
        #expect(problem("""
            database = "ab.sqlite"
            [[inbox]]
            path = "a"
            """) == nil, "a sibling whose name starts the same is fine")
    }

    @Test func nestedInboxesAreRefused() throws {
        let e = try #require(problem("""
            [[inbox]]
            name = "a"
            path = "a"
            [[inbox]]
            name = "b"
            path = "a/processed"
            """))
        #expect(e.key == "inbox[1].path")
        #expect(e.message.contains("inbox[0].path"))
    }

    @Test func twoInboxesOnOneFolderAreRefusedEvenThroughASymlink() throws {
        let dir = try Scratch.folder("layout").path
        try FileManager.default.createDirectory(atPath: dir + "/real", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link", withDestinationPath: dir + "/real")
        let e = try #require(problem("""
            [[inbox]]
            name = "a"
            path = "\(dir)/real"
            [[inbox]]
            name = "b"
            path = "\(dir)/link"
            """))
        #expect(e.key == "inbox[1].path")
        #expect(e.message.contains("same folder as inbox[0].path"))
    }

    @Test func aMissingInboxFolderIsCreatedOnlyWhenTheConfigSaysSo() throws {
        let missing = Scratch.path("nope")
        let strict = try DropdialConfig.parse("""
            [[inbox]]
            path = "\(missing)"
            """)
        #expect(FolderLayout.missingFolders(strict).first?.0 == "inbox[0].path")
        let creating = try DropdialConfig.parse("""
            [[inbox]]
            path = "\(missing)"
            create = true
            """)
        #expect(FolderLayout.missingFolders(creating).isEmpty)
        #expect(DropdialConfig().inboxes[0].create, "the built-in default inbox is created")
    }
}
