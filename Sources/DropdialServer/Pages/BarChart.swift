/// A bar chart drawn by the server as SVG (SPEC §10: no script, nothing loaded from outside).
/// Each bar carries its value as a `<title>`, so a pointer or a screen reader can read it.
struct BarChart {
    var id: String
    /// What the chart shows, read by screen readers as the image's name.
    var title: String
    var bars: [(label: String, value: Int)]
    /// Every n-th label is written under the axis (all of them would not fit on a phone).
    var labelEvery = 3

    func svg() -> String {
        let width = 600.0, height = 240.0, left = 56.0, bottom = 36.0, top = 14.0
        let plotW = width - left - 8, plotH = height - bottom - top
        // At least 2, so the middle line has a whole value.
        let scale = Self.niceCeiling(max(bars.map(\.value).max() ?? 0, 2))
        let step = plotW / Double(max(bars.count, 1))
        var out = "<svg id=\"\(id)\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"\(id)-title\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"\(id)-title\">\(Self.escape(title))</title>"
        // Grid lines and their values: 0, half, top.
        for fraction in [0.0, 0.5, 1.0] {
            let y = top + plotH * (1 - fraction)
            out += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 8)\" y2=\"\(y)\" stroke=\"#d0d7de\"/>"
            // The middle value only when it is whole (not for a scale of 5).
            if fraction != 0.5 || scale % 2 == 0 {
                out += "<text x=\"\(left - 6)\" y=\"\(y + 6)\" text-anchor=\"end\" font-size=\"\(Self.fontSize)\" fill=\"#4b5563\">\(Int(Double(scale) * fraction))</text>"
            }
        }
        for (i, bar) in bars.enumerated() {
            let h = plotH * Double(bar.value) / Double(scale)
            let x = left + Double(i) * step + step * 0.15
            out += "<rect x=\"\(Self.r(x))\" y=\"\(Self.r(top + plotH - h))\" width=\"\(Self.r(step * 0.7))\" height=\"\(Self.r(h))\" fill=\"#1d4ed8\">"
            out += "<title>\(Self.escape(bar.label)): \(bar.value)</title></rect>"
            if i % labelEvery == 0 {
                out += "<text x=\"\(Self.r(x + step * 0.35))\" y=\"\(height - 8)\" text-anchor=\"middle\" font-size=\"\(Self.fontSize)\" fill=\"#4b5563\">\(Self.escape(bar.label))</text>"
            }
        }
        return out + "</svg>"
    }

    /// Large enough to read when the 600-unit-wide chart is drawn 360 px wide on a phone.
    static let fontSize = 18

    /// 1, 2 or 5 times a power of ten, at least `n`: round axis values.
    static func niceCeiling(_ n: Int) -> Int {
        var power = 1
        while power * 10 <= n { power *= 10 }
        for m in [1, 2, 5, 10] where m * power >= n { return m * power }
        return 10 * power
    }

    static func r(_ x: Double) -> String { String(Double(Int(x * 10)) / 10) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
