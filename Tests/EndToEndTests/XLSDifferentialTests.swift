import DropdialTestKit
import Foundation
import Testing

/// Issue 14: every generated .xls fixture read by `dropdial inspect --json`, xlrd and
/// python-calamine agrees cell for cell under SPEC §4 (scripts/xls_differential.py).
@Suite struct XLSDifferentialTests {
    @Test func dropdialAgreesWithXlrdAndCalamine() throws {
        let generated = Binary.repo.appendingPathComponent("Tests/Fixtures/generated")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: generated.path))?.filter { $0.hasSuffix(".xls") } ?? []
        try #require(files.count >= 15, "run python3 scripts/make_fixtures.py first (found \(files.count) .xls fixtures)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Binary.repo.appendingPathComponent("scripts/xls_differential.py").path, Binary.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains("\(files.count) files, 0 disagreements"), "\(text)")
    }
}
