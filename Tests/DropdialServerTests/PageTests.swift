@testable import DropdialServer
import Testing

/// The dashboard's pieces that need no server: templates, charts, the guards on `next` and on
/// errors-CSV cells.
struct PageTests {
    @Test func everyTemplateRendersAndEscapesText() {
        let renderer = PageRenderer()
        for name in PageTemplates.all.keys {
            #expect(renderer.library.getTemplate(named: name) != nil, "\(name)")
        }
        let html = renderer.library.render(PageRenderer.ErrorModel(heading: "<b>h</b>", message: "a & \"b\""), withTemplate: "error") ?? ""
        #expect(html.contains("<h1>&lt;b&gt;h&lt;/b&gt;</h1>") && html.contains("a &amp; &quot;b&quot;"))
    }

    @Test func nextNeverLeavesTheSite() {
        #expect(PageRoutes.localPath("/batches/1?page=2") == "/batches/1?page=2")
        for hostile in ["//evil.example/x", "https://evil.example", "/\\evil.example", "evil", "/a\r\nSet-Cookie: x", nil] {
            #expect(PageRoutes.localPath(hostile) == "/", "\(hostile ?? "nil")")
        }
    }

    @Test func theCSVGuardIsTakenOffOnlyWhereTheWriterPutIt() {
        #expect(ReportPage.unguarded("'+14155550132") == "+14155550132")
        #expect(ReportPage.unguarded("'=1+2") == "=1+2")
        #expect(ReportPage.unguarded("'quoted") == "'quoted")
        #expect(ReportPage.unguarded("'") == "'")
        #expect(ReportPage.unguarded("plain") == "plain")
    }

    @Test func chartsScaleToRoundNumbersAndNameEveryBar() {
        #expect([0, 1, 3, 10, 11, 45, 99, 100, 101, 2_500].map(BarChart.niceCeiling) == [1, 1, 5, 10, 20, 50, 100, 100, 200, 5_000])
        let svg = BarChart(id: "c", title: "T <x>", bars: [("00", 4), ("01", 0), ("02", 8)], labelEvery: 2).svg()
        #expect(svg.hasPrefix(#"<svg id="c""#) && svg.contains(#"role="img""#) && svg.contains("<title id=\"c-title\">T &lt;x&gt;</title>"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 3)
        #expect(svg.contains("<title>02: 8</title>") && svg.contains(">00</text>") && !svg.contains(">01</text>"))
        // The tallest bar (8 of a scale of 10) is 80% of the plot's 190 units.
        #expect(svg.contains(#"height="152.0""#))
        // A scale of 2 (the least) labels its middle line 1; a scale of 5 leaves the middle unlabelled.
        #expect(BarChart(id: "z", title: "", bars: [("00", 0)]).svg().contains(">1</text>"))
        #expect(!BarChart(id: "f", title: "", bars: [("00", 5)]).svg().contains(">2</text>"))
    }
}
