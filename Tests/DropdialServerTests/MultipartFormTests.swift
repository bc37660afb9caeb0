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

    /// Content full of near-delimiters (`CRLF--XyZ` cut short at every length, CRs, dashes),
    /// cut into random chunks: the file's bytes come out exactly, whatever the cuts.
    @Test func nearDelimitersAcrossRandomChunks() throws {
        var rng = SystemRandomNumberGenerator()
        let delimiter = Array("\r\n--XyZ".utf8)
        for round in 0..<50 {
            var content: [UInt8] = []
            for _ in 0..<200 {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: content += delimiter.prefix(Int.random(in: 1..<delimiter.count, using: &rng)) + [UInt8(ascii: "x")]
                case 1: content += [0x0D, 0x0D, 0x0A, UInt8(ascii: "-")]
                case 2: content += Array("--XyZ".utf8)  // a boundary not after CRLF is content
                default: content += (0..<Int.random(in: 0..<40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                }
            }
            // Random bytes could spell the delimiter itself; such a round is not content.
            if content.count >= delimiter.count,
               (0...(content.count - delimiter.count)).contains(where: { content[$0..<($0 + delimiter.count)].elementsEqual(delimiter) }) {
                continue
            }
            let body = Array("preamble text\r\n--XyZ  \t\r\nContent-Disposition: form-data; name=\"file\"; filename=\"r.csv\"\r\n\r\n".utf8)
                + content + Array("\r\n--XyZ--\r\nepilogue --XyZ\r\n".utf8)
            let form = MultipartForm(contentType: "multipart/form-data; boundary=XyZ")!
            var file: [UInt8] = []
            form.onFileBytes = { file += $0 }
            var i = 0
            while i < body.count {
                let n = min(Int.random(in: 1...97, using: &rng), body.count - i)
                try form.feed(ByteBuffer(bytes: body[i..<(i + n)]))
                i += n
            }
            try form.finish()
            #expect(file == content, "round \(round)")
            #expect(form.fileName == "r.csv" && form.fileComplete)
        }
    }

    @Test func aBodyWithoutItsCloseDelimiterIsTruncated() {
        let open = "--XyZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\na\r\n--XyZ\r\n"
        #expect(throws: MultipartForm.Failure.truncated) { try read(Array(open.utf8), chunk: 7) }
        #expect(throws: MultipartForm.Failure.truncated) { try read(Array("just a preamble".utf8), chunk: 7) }
        #expect(throws: MultipartForm.Failure.syntax) { try read(Array((open.dropLast(1) + "junk\r\n").utf8), chunk: 3) }
        #expect(throws: MultipartForm.Failure.unnamedPart) { try read(Array("--XyZ\r\n\r\na\r\n--XyZ--".utf8), chunk: 3) }
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
