/// Picks the field delimiter from the first records of the text: Excel's `sep=X` line if present,
/// else the candidate (`,` `;` tab `|`) whose count per record is the most consistent.
/// Counting uses the reader's own quoting rules, so delimiters inside quotes do not count.
enum DelimiterDetector {
    static let candidates: [UInt8] = [ASCII.comma, ASCII.semicolon, ASCII.tab, ASCII.pipe]
    /// Records looked at; enough to see a pattern, few enough to stay cheap.
    static let sampleRecords = 100
    /// Decoded bytes read for the sample.
    static let sampleBytes = 64 * 1024

    /// The outcome: the delimiter, and how many leading bytes form a `sep=` line to skip (0 if none).
    struct Choice: Equatable {
        var delimiter: UInt8
        var skipBytes: Int
    }

    /// Decides from `sample`, the text's first bytes; `complete` says the sample is the whole text.
    /// `preferred` wins ties and is the answer when no candidate occurs at all.
    static func choose(sample: [UInt8], complete: Bool, preferred: UInt8) -> Choice {
        if let sep = sepLine(sample, complete: complete) { return sep }
        // Rank: records agreeing on the count, then the preferred delimiter, then more columns,
        // then the order of `candidates`.
        var best: (delimiter: UInt8, rank: (Int, Int, Int, Int))? = nil
        for (index, candidate) in candidates.enumerated() {
            let counts = delimiterCounts(sample, delimiter: candidate, complete: complete)
            guard let (mode, agreement) = modeOfNonZero(counts) else { continue }
            // A real delimiter is in the header, or at least in most records; a comma in a few
            // names of a one-column list is not.
            guard counts[0] > 0 || agreement * 2 > counts.count else { continue }
            let rank = (agreement, candidate == preferred ? 1 : 0, mode, -index)
            if best == nil || rank > best!.rank { best = (candidate, rank) }
        }
        return Choice(delimiter: best?.delimiter ?? preferred, skipBytes: 0)
    }

    /// Recognises `sep=X` (any letter case) as the very first line, ended by CRLF, LF, CR or EOF.
    static func sepLine(_ s: [UInt8], complete: Bool) -> Choice? {
        guard s.count >= 5,
              s[0] | 0x20 == UInt8(ascii: "s"), s[1] | 0x20 == UInt8(ascii: "e"),
              s[2] | 0x20 == UInt8(ascii: "p"), s[3] == UInt8(ascii: "=")
        else { return nil }
        let x = s[4]
        guard x != ASCII.cr, x != ASCII.lf, x != ASCII.quote, x < 0x80 else { return nil }
        if s.count == 5 { return complete ? Choice(delimiter: x, skipBytes: 5) : nil }
        switch s[5] {
        case ASCII.lf: return Choice(delimiter: x, skipBytes: 6)
        case ASCII.cr:
            let crlf = s.count > 6 && s[6] == ASCII.lf
            return Choice(delimiter: x, skipBytes: crlf ? 7 : 6)
        default: return nil
        }
    }

    /// For each non-blank record of the sample, how many times `delimiter` separates fields, using the
    /// reader's own quoting rules. A record cut off by the sample's end is left out.
    static func delimiterCounts(_ s: [UInt8], delimiter: UInt8, complete: Bool) -> [Int] {
        var counts: [Int] = []
        var count = 0
        var hasContent = false
        var atFieldStart = true
        var inQuotes = false
        var i = 0
        let n = s.count
        while i < n && counts.count < sampleRecords {
            let byte = s[i]
            i += 1
            if inQuotes {
                guard byte == ASCII.quote else { continue }
                if i < n && s[i] == ASCII.quote {
                    i += 1
                } else if i == n && !complete {
                    return counts  // cannot tell an escape from a close
                } else {
                    inQuotes = false
                }
                continue
            }
            switch byte {
            case delimiter:
                count += 1
                hasContent = true
                atFieldStart = true
            case ASCII.cr, ASCII.lf:
                if byte == ASCII.cr && i < n && s[i] == ASCII.lf { i += 1 }
                if hasContent { counts.append(count) }
                count = 0
                hasContent = false
                atFieldStart = true
            case ASCII.quote where atFieldStart:
                inQuotes = true
                hasContent = true
                atFieldStart = false
            default:
                hasContent = true
                atFieldStart = false
            }
        }
        if complete && hasContent && !inQuotes && counts.count < sampleRecords { counts.append(count) }
        return counts
    }

    /// The most frequent non-zero count (larger wins a tie) and how many records have exactly it.
    static func modeOfNonZero(_ counts: [Int]) -> (mode: Int, agreement: Int)? {
        var frequency: [Int: Int] = [:]
        for c in counts where c > 0 { frequency[c, default: 0] += 1 }
        return frequency.max { a, b in a.value != b.value ? a.value < b.value : a.key < b.key }
            .map { ($0.key, $0.value) }
    }
}

/// Byte values the CSV reader compares against.
enum ASCII {
    static let tab = UInt8(ascii: "\t")
    static let lf = UInt8(ascii: "\n")
    static let cr = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let comma = UInt8(ascii: ",")
    static let semicolon = UInt8(ascii: ";")
    static let pipe = UInt8(ascii: "|")
}
