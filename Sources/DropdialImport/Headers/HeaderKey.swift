/// Header matching ignores case, spaces, `_` and `-` (SPEC §5): `Phone Number` == `phone_number`.
enum HeaderKey {
    static func normalize(_ text: some StringProtocol) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != " " && $0 != "_" && $0 != "-" && $0 != "\t" })
    }

    /// Every header that names the phone column.
    static let phoneAliases: Set<String> = [
        "phonenumber", "phone", "mobile", "mobilenumber", "mobilephone", "cellphone", "telephone",
    ]

    /// Every header that names the per-contact time zone column.
    static let timezoneAliases: Set<String> = ["timezone", "tz"]
}
