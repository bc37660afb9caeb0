import DropdialTestKit
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Clients that do not behave (SPEC §8): a thousand connections that never finish their
/// headers do not stop the daemon from serving, and a stalled connection is closed.
@Suite(.serialized) struct HTTPRobustnessTests {
    @Test func aThousandStalledConnectionsAndTheDaemonStillServes() throws {
        // Room for 1,000 sockets on both ends (the daemon inherits the limit).
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = min(limit.rlim_max, 8192)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        try #require(limit.rlim_cur >= 2200, "needs 2,200 file descriptors, the hard limit is \(limit.rlim_max)")

        let d = try DaemonProcess()
        try d.start()
        defer { d.stop() }
        let base = try #require(d.httpBase(), "\(d.logText())")
        let key = try #require(d.adminKey())
        let started = Date()
        var stalled: [RawConnection] = []
        for _ in 0..<1000 {
            let c = try RawConnection(base: base)
            c.send(Data("GET /api/call/batches HTTP/1.1\r\nHost: x\r\n".utf8))
            stalled.append(c)
        }
        let t = Date()
        let answer = try HTTPCall.send("GET", base + "/api/call/batches", key: key, timeout: 20)
        #expect(answer.status == 200, "\(answer.text)")
        #expect(Date().timeIntervalSince(t) < 5, "a request beside 1,000 stalled connections took \(Date().timeIntervalSince(t)) s")
        // A connection that never finishes its headers is closed by the idle timeout (30 s).
        let closedAfter = Date()
        let reply = stalled[0].readAll(seconds: 60)
        let waited = Date().timeIntervalSince(closedAfter) + closedAfter.timeIntervalSince(started)
        #expect(waited < 50, "the stalled connection stayed open \(waited) s")
        #expect(reply.isEmpty || String(decoding: reply, as: UTF8.self).hasPrefix("HTTP/1.1 4"), "\(String(decoding: reply, as: UTF8.self))")
        stalled.removeAll()
        #expect(try HTTPCall.send("GET", base + "/healthz").status == 200)
    }

    @Test func aStopLetsTheUploadInFlightFinishAndTakesNoNewRequest() throws {
        let d = try DaemonProcess()
        try d.start()
        defer { d.stop() }
        let base = try #require(d.httpBase(), "\(d.logText())")
        let key = try #require(d.adminKey())
        var m = Multipart()
        m.file("late.csv", Data(contactsCSV(rows: 20_000).utf8))
        m.close()
        let raw = try RawConnection(base: base)
        raw.send(Data("POST /api/call/upload-csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(key)\r\nContent-Type: \(m.contentType)\r\nContent-Length: \(m.body.count)\r\n\r\n".utf8))
        raw.send(m.body.prefix(m.body.count / 2))
        #expect(d.waitFor(seconds: 10) { !d.listing(".dropdial-work").filter { $0.hasPrefix(".upload-") }.isEmpty })
        kill(try #require(d.pid), SIGTERM)
        #expect(d.waitFor(seconds: 10) { (try? HTTPCall.send("GET", base + "/healthz", timeout: 2)) == nil },
                "a new connection is refused once the stop began")
        raw.send(m.body.suffix(from: m.body.count / 2))
        let reply = String(decoding: raw.readAll(seconds: 30), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 201"), "the upload in flight finishes: \(reply.prefix(400))")
        #expect(d.stop() == 0)
        #expect(d.exists("processed/late.csv.report.json"))
    }
}
