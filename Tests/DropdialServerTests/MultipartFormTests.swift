@testable import DropdialServer
import Foundation
import NIOCore
import Testing

/// The streaming form reader: the same parts whatever the chunking, the file never buffered,
/// and every malformed body a named failure.
@Suite struct MultipartFormTests {
    static let body = Array("""
        --XyZ\r
        Content-Disposition: form-data; name="batchName"\r
        \r
        May "campaign"\r
        --XyZ\r
        Content-Disposition: form-data; name="file"; filename="a\\"b.csv"\r
        Content-Type: text/csv\r
        \r
        phone_number\r
        +14155550100\r
        --Xy not yet\r
        \r
        --XyZ--\r

        """.utf8)

    func read(_ bytes: [UInt8], chunk: Int) throws(MultipartForm.Failure) -> (MultipartForm, [UInt8]) {
        let form = MultipartForm(contentType: "multipart/form-data; boundary=XyZ")!
        var file: [UInt8] = []
        form.onFileBytes = { file += $0 }
        var i = 0
        while i < bytes.count {
            try form.feed(ByteBuffer(bytes: bytes[i..<min(i + chunk, bytes.count)]))
            i += chunk
        }
        try form.finish()
        return (form, file)
    }

    @Test(arguments: [1, 2, 3, 7, 64, 100_000])
    func thePartsAreTheSameWhateverTheChunks(chunk: Int) throws {
        let (form, file) = try read(Self.body, chunk: chunk)
        #expect(form.fields == ["batchName": #"May "campaign""#])
        #expect(form.fileName == #"a"b.csv"#)
        #expect(String(decoding: file, as: UTF8.self) == "phone_number\r\n+14155550100\r\n--Xy not yet\r\n")
        #expect(form.fileComplete)
    }

    @Test func aBodyCutShortIsTruncated() {
        #expect(throws: MultipartForm.Failure.truncated) { try read(Array(Self.body.prefix(150)), chunk: 10) }
    }

    @Test func malformedBodiesAreNamed() {
        func body(_ text: String) -> [UInt8] { Array(text.utf8) }
        #expect(throws: MultipartForm.Failure.duplicateFile) {
            try read(body("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\na\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nb\r\n--XyZ--\r\n"), chunk: 5)
        }
        #expect(throws: MultipartForm.Failure.unnamedPart) {
            try read(body("--XyZ\r\nContent-Disposition: form-data\r\n\r\na\r\n--XyZ--\r\n"), chunk: 5)
        }
        #expect(throws: MultipartForm.Failure.duplicateField("x")) {
            try read(body("--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\na\r\n--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nb\r\n--XyZ--\r\n"), chunk: 5)
        }
        #expect(throws: MultipartForm.Failure.syntax) { try read(body("--XyZ\r\nno colon\r\n\r\n"), chunk: 5) }
        let huge = "--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n" + String(repeating: "a", count: 70_000) + "\r\n--XyZ--\r\n"
        #expect(throws: MultipartForm.Failure.fieldTooLarge("x")) { try read(body(huge), chunk: 4096) }
        let longHeader = "--XyZ\r\nX-Pad: " + String(repeating: "a", count: 1_100_000) + "\r\n"
        #expect(throws: MultipartForm.Failure.overheadTooLarge) { try read(body(longHeader), chunk: 65536) }
    }

    @Test func boundariesAndDispositions() {
        #expect(MultipartForm.boundary("multipart/form-data; boundary=abc") == "abc")
        #expect(MultipartForm.boundary(#"Multipart/Form-Data; boundary="a b;c""#) == "a b;c")
        #expect(MultipartForm.boundary("multipart/form-data") == nil)
        #expect(MultipartForm.boundary("multipart/form-data; boundary=") == nil)
        #expect(MultipartForm.boundary("multipart/form-data; boundary=" + String(repeating: "b", count: 71)) == nil)
        #expect(MultipartForm.boundary("text/csv; boundary=abc") == nil)
        let p = ContentDisposition.parameters(#"form-data; name="file"; filename="x.csv"; filename*=UTF-8''%C3%A9t%C3%A9.csv"#)
        #expect(p["name"] == "file" && p["filename"] == "x.csv" && p["filename*"] == "été.csv")
        #expect(ContentDisposition.parameters(#"form-data; NAME=plain ; filename="a\\b""#) == ["name": "plain", "filename": #"a\b"#])
    }
}
