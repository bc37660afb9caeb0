import DropdialConfig
import DropdialTestKit
import Testing

/// `[http]` (SPEC §8): its defaults, "" to turn the server off, and a bad value named by key.
@Suite struct HTTPConfigTests {
    @Test func defaultsListenOnLoopback8080() throws {
        let config = try DropdialConfig.parse("")
        #expect(config.http.listen == HTTPConfig.Listen(host: "127.0.0.1", port: 8080))
        #expect(config.http.publicURL == nil && config.http.maxUploadMB == nil && !config.http.metricsPublic)
    }

    @Test func everyKeyIsRead() throws {
        let config = try DropdialConfig.parse("""
            [http]
            listen = "[::1]:0"
            public_url = "https://dialer.example.com"
            max_upload_mb = 500
            metrics_public = true
            """)
        #expect(config.http.listen == HTTPConfig.Listen(host: "::1", port: 0))
        #expect(config.http.listen?.description == "[::1]:0")
        #expect(config.http.publicURL == "https://dialer.example.com")
        #expect(config.http.maxUploadMB == 500 && config.http.metricsPublic)
        #expect(try DropdialConfig.parse("[http]\nlisten = \"\"").http.listen == nil, "\"\" turns the server off")
    }

    @Test(arguments: [
        (#"listen = "8080""#, "http.listen"), (#"listen = "localhost:99999""#, "http.listen"),
        (#"listen = "a b:80""#, "http.listen"), (#"listen = ":80""#, "http.listen"),
        ("max_upload_mb = 0", "http.max_upload_mb"), (#"public_url = "ftp://x""#, "http.public_url"),
        ("bogus = 1", "http.bogus"),
    ])
    func aBadValueIsNamed(line: String, key: String) {
        do {
            _ = try DropdialConfig.parse("[http]\n\(line)")
            Issue.record("\(line) was accepted")
        } catch {
            #expect(error.key == key, "\(error)")
        }
    }
}
