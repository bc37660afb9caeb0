/// One `<Relationship>` of a `.rels` part, with its target already resolved to a part name.
struct Relationship {
    var id: String
    /// The last path segment of the relationship type, lowercased: `officedocument`,
    /// `worksheet`, `chartsheet`, `sharedstrings`, `styles`… Comparing the suffix makes
    /// Transitional (`http://schemas.openxmlformats.org/...`) and Strict
    /// (`http://purl.oclc.org/ooxml/...`) types equal.
    var kind: String
    var target: String
}

/// The relationships of one part, read from its `_rels/*.rels` (external targets left out).
enum PackageRelationships {
    /// Reads the rels of `source` (`""` for the package); an absent rels part gives `[]`.
    static func read(for source: String, in archive: ZipArchive) throws(ReaderError) -> [Relationship] {
        guard let xml = try archive.xml(part: PartName.relationships(of: source)) else { return [] }
        let relationshipName = xml.intern("Relationship")
        var result: [Relationship] = []
        while true {
            let type = try xml.next()
            if type == XMLNode.end { break }
            guard type == XMLNode.element, xml.named(relationshipName) else { continue }
            var id = "", kind = "", target = "", external = false
            try xml.forEachAttribute { name, value, _ in
                switch String(cString: name) {
                case "Id": id = String(decoding: value, as: UTF8.self)
                case "Type":
                    let type = String(decoding: value, as: UTF8.self)
                    kind = type.split(separator: "/").last.map { $0.lowercased() } ?? ""
                case "Target": target = String(decoding: value, as: UTF8.self)
                case "TargetMode": external = value.equals("External")
                default: break
                }
            }
            if !external, !target.isEmpty {
                result.append(Relationship(id: id, kind: kind, target: PartName.resolve(target, from: source)))
            }
        }
        return result
    }
}
