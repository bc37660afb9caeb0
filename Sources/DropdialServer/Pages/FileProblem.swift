/// A whole file's failure in plain words, with what to do about it: the report page's headline
/// for each file-level `errorCode` (SPEC §5). The report's own message follows it as the detail.
enum FileProblem {
    static func words(code: String?) -> (what: String, todo: String)? {
        switch code {
        case nil: nil
        case "no_phone_column":
            ("The file has no phone column.", "Name one column phone, phoneNumber or mobile, then drop the file again.")
        case "required_column_missing":
            ("A column this inbox requires is missing.", "Add the column named below to the header row, fill it in, and drop the file again.")
        case "no_header":
            ("The file has no header row.", "Put the column names (phone, name, …) in the first row, then drop the file again.")
        case "no_data_rows":
            ("The file has a header row but no contacts.", "Add one row per contact under the header, then drop the file again.")
        case "empty_file":
            ("The file is empty.", "Save the spreadsheet again and check it has rows before you drop it.")
        case "invalid_rows":
            ("Some rows are not valid, and this inbox takes a file only when every row is.",
             "Fix the rows marked below (the errors workbook has them, the bad cells in red) and drop the fixed file again.")
        case "no_valid_rows":
            ("No row holds a valid contact.", "Fix the rows marked below and drop the fixed file again.")
        case "all_suppressed":
            ("Every contact in the file is on the do-not-call list.", "Nothing is called. Remove numbers from the do-not-call list only if you may call them.")
        case "unsupported_type":
            ("dropdial cannot read this kind of file.", "Save it as CSV, XLSX or XLS and drop it again.")
        case "file_too_large":
            ("The file is over this inbox's size limit.", "Split it into smaller files, or raise the limit in the inbox's settings.")
        case "manifest_invalid":
            ("The file's settings (its .batch.json) are not valid.", "Correct the setting named below and drop both files again.")
        case "hard_link":
            ("The file is a hard link to another file.", "Upload a copy of the file instead of a link.")
        case "unreadable":
            ("The file cannot be read.", "Check that it is a complete spreadsheet (open it and save it again), then drop it again.")
        default:
            ("The file could not be imported.", "Read the detail below, fix the file, and drop it again.")
        }
    }
}
