/// Non-clashing names in `processed/` and `failed/`: `contacts.csv`, `contacts (2).csv`, `contacts (3).csv`…
///
/// The counter goes before the last extension so the file still opens with the same program.
public enum UniqueName {
    /// The `n`-th candidate for `name` (n = 1 is the name itself).
    public static func candidate(_ name: String, _ n: Int) -> String {
        guard n > 1 else { return name }
        let stem = PickupNames.stem(name)
        guard stem != name else { return "\(name) (\(n))" }
        return "\(stem) (\(n))" + name.dropFirst(stem.count)
    }

    /// True when `final` is `candidate(name, n)` for some n in 1...10_000.
    static func isCandidate(_ final: String, of name: String) -> Bool {
        if final == name { return true }
        let stem = PickupNames.stem(name)
        let ext = String(name.dropFirst(stem.count))
        guard final.hasSuffix(ext), final.hasPrefix(stem + " ("), final.utf8.count > stem.utf8.count + ext.utf8.count + 3 else {
            return false
        }
        let inner = final.dropFirst(stem.count + 2).dropLast(ext.count)
        guard inner.hasSuffix(")"), let n = Int(inner.dropLast()), (2...10_000).contains(n) else { return false }
        return candidate(name, n) == final
    }

    /// The names that travel with a final data name: report, errors CSV and workbook, manifest.
    static func companions(of finalName: String) -> (report: String, errors: String, workbook: String, manifest: String) {
        (finalName + PickupNames.reportSuffix, finalName + PickupNames.errorsSuffix,
         finalName + PickupNames.workbookSuffix, PickupNames.manifestName(for: finalName))
    }

    /// The first candidate in `folder` whose data and companion names are all free.
    static func firstFree(_ name: String, in folder: String, startingAt start: Int = 1) throws(PickupError) -> (name: String, n: Int) {
        for n in start..<(start + 10_000) {
            let candidate = candidate(name, n)
            let c = companions(of: candidate)
            let all = [candidate, c.report, c.errors, c.workbook, c.manifest]
            if all.allSatisfy({ FileSystem.lstatInfo(FileSystem.join(folder, $0)) == nil }) { return (candidate, n) }
        }
        throw .noFreeName(folder: folder, name: name)
    }
}
