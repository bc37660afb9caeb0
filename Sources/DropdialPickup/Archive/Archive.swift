import Foundation

/// Moves a claimed file into `processed/` or `failed/` with its report beside it, crash-safely.
///
/// Order (each step atomic; the data file's location is the truth):
/// 1. stage `<seq>.report.json` in the work folder: temp + fsync + rename (`<seq>.errors.csv` and
///    `<seq>.errors.xlsx` are written there by the import itself);
/// 2. write the intent `<seq>.archive.json` (destination and final name), same way;
/// 3. rename the data file to `dest/FINAL` (never replacing) — the commit point;
/// 4. rename the manifest to `dest/<FINAL stem>.batch.json`;
/// 5. rename the errors CSV and workbook, then the report, to `dest/FINAL.errors.csv`,
///    `dest/FINAL.errors.xlsx` and `dest/FINAL.report.json`;
/// 6. fsync the destination folder, delete the intent.
///
/// After a kill: before 2, the data file is still claimed without intent → the caller redoes it
/// (``Recovery``); from 2 on, the intent is there → ``resume(_:)`` finishes steps 3–6, each of which
/// is skipped when already done. A report in `processed/`/`failed/` therefore always sits beside
/// its data file, and a file is never in both folders.
public enum Archive {
    /// Archives `claimed` to `destination`, writing `report` (and `errorsCSV` if given) beside it,
    /// and moving the staged errors CSV and workbook there when `errorsStaged` and `errorsWorkbook`
    /// say the import wrote them (durably) to their staged paths.
    /// The report and errors file get the data file's mode (never wider) and, where the daemon
    /// may, its owner and group.
    public static func file(_ claimed: ClaimedFile, to destination: Destination, report: Data,
                            errorsCSV: Data? = nil, errorsStaged: Bool = false,
                            errorsWorkbook: Bool = false) throws(PickupError) -> ArchivedFile {
        let folder = claimed.folders.folder(destination)
        try claimed.folders.prepare(folder)
        var intent = ArchiveIntent(claimed: claimed, destination: destination,
                                   finalName: claimed.originalName, hasErrors: errorsCSV != nil || errorsStaged,
                                   hasWorkbook: errorsWorkbook)
        let like = FileSystem.lstatInfo(claimed.claimedPath)
        try FileSystem.writeAtomically(report, to: intent.stagedReport, like: like)
        if let errorsCSV {
            try FileSystem.writeAtomically(errorsCSV, to: intent.stagedErrors, like: like)
        } else if errorsStaged {
            FileSystem.conform(intent.stagedErrors, like: like)
        } else {
            unlink(intent.stagedErrors)   // a stale one from an earlier, interrupted attempt
        }
        if errorsWorkbook {
            FileSystem.conform(intent.stagedWorkbook, like: like)
        } else {
            unlink(intent.stagedWorkbook)
        }
        intent.finalName = try UniqueName.firstFree(claimed.originalName, in: folder).name
        try FileSystem.writeAtomically(intent.encoded(), to: intent.path)
        return try resume(intent)
    }

    /// Finishes an archive from its intent (also the second half of ``file(_:to:report:errorsCSV:)``).
    public static func resume(_ intent: ArchiveIntent) throws(PickupError) -> ArchivedFile {
        var intent = intent
        let claimed = intent.claimed
        let folder = claimed.folders.folder(intent.destination)
        try claimed.folders.prepare(folder)

        // 3. The data file; a name taken since the intent was written gets the next free one.
        var attempt = 1
        while FileSystem.lstatInfo(claimed.claimedPath) != nil {
            let target = FileSystem.join(folder, intent.finalName)
            let e = FileSystem.renameNoReplace(claimed.claimedPath, target)
            if e == 0 { break }
            guard e == EEXIST else { throw .move(from: claimed.claimedPath, to: target, errno: e) }
            attempt += 1
            intent.finalName = try UniqueName.firstFree(claimed.originalName, in: folder, startingAt: attempt).name
            try FileSystem.writeAtomically(intent.encoded(), to: intent.path)
        }
        let names = UniqueName.companions(of: intent.finalName)

        // 4–5. Companions, report last.
        var manifestPath: String? = nil
        if let source = claimed.manifestPath {
            manifestPath = try move(source, folder: folder, name: names.manifest)
        }
        var errorsPath: String? = nil
        if intent.hasErrors {
            errorsPath = try move(intent.stagedErrors, folder: folder, name: names.errors)
        }
        var workbookPath: String? = nil
        if intent.hasWorkbook {
            workbookPath = try move(intent.stagedWorkbook, folder: folder, name: names.workbook)
        }
        let reportPath = try move(intent.stagedReport, folder: folder, name: names.report)

        // 6. Durable, then forget the plan.
        FileSystem.syncFolder(folder)
        unlink(claimed.statePath(.claim))
        // State an earlier version kept beside the claim (see Recovery.isLegacyState), now that
        // the claim it belonged to is gone from the folder.
        for suffix in [".archive.json", PickupNames.reportSuffix, PickupNames.errorsSuffix] {
            unlink(claimed.claimedPath + suffix)
        }
        unlink(intent.path)
        FileSystem.syncFolder(claimed.folders.work)
        let shown = claimed.folders.display
        return ArchivedFile(destination: intent.destination, finalName: intent.finalName,
                            dataPath: shown(FileSystem.join(folder, intent.finalName)), reportPath: shown(reportPath),
                            errorsPath: errorsPath.map(shown), workbookPath: workbookPath.map(shown), manifestPath: manifestPath.map(shown))
    }

    /// Moves a companion to `folder/name` unless it was already moved; if the name was taken by a
    /// stranger meanwhile, uses the next free variant instead of replacing it.
    private static func move(_ source: String, folder: String, name: String) throws(PickupError) -> String {
        var target = FileSystem.join(folder, name)
        guard FileSystem.lstatInfo(source) != nil else { return target }
        for n in 1...10_000 {
            target = FileSystem.join(folder, UniqueName.candidate(name, n))
            let e = FileSystem.renameNoReplace(source, target)
            if e == 0 { return target }
            guard e == EEXIST else { throw .move(from: source, to: target, errno: e) }
        }
        throw .noFreeName(folder: folder, name: name)
    }
}
