import Foundation

/// Where inboxes and the database may be, relative to each other. Each of these loses data or
/// imports twice, so each is a configuration error naming both keys:
/// - the database (or its `-wal`/`-shm`) inside an inbox: the daemon would archive it as a drop;
/// - an inbox inside another (e.g. in its `processed/`): archived files would be imported again;
/// - two inboxes on one folder: they would split its files between them at random.
/// Paths are compared after resolving symlinks as far as they exist.
public enum FolderLayout {
    public static func check(_ config: DropdialConfig, file: String) throws(ConfigError) {
        let inboxes = config.inboxes.map { resolved($0.path) }
        if !config.database.hasPrefix("postgresql:") && config.database != ":memory:" {
            let database = resolved(config.database)
            for (i, inbox) in inboxes.enumerated() where isInside(database, inbox) {
                throw ConfigError(file: file, key: "database", message:
                    "\"\(config.database)\" is inside inbox[\(i)].path \"\(config.inboxes[i].path)\"; the daemon would archive the database as a dropped file — keep it outside every inbox")
            }
        }
        for (i, a) in inboxes.enumerated() {
            for (j, b) in inboxes.enumerated() where i != j {
                if a == b, i > j {
                    throw ConfigError(file: file, key: "inbox[\(i)].path", message:
                        "\"\(config.inboxes[i].path)\" is the same folder as inbox[\(j)].path \"\(config.inboxes[j].path)\"; two inboxes would split its files at random — give each inbox its own folder")
                }
                if a != b, isInside(a, b) {
                    throw ConfigError(file: file, key: "inbox[\(i)].path", message:
                        "\"\(config.inboxes[i].path)\" is inside inbox[\(j)].path \"\(config.inboxes[j].path)\"; files archived there would be imported again — use folders side by side")
                }
            }
        }
    }

    /// Every inbox folder that is missing and not to be created, as (key, message).
    public static func missingFolders(_ config: DropdialConfig) -> [(String, String)] {
        var out: [(String, String)] = []
        for (i, inbox) in config.inboxes.enumerated() where !inbox.create {
            var isDir: ObjCBool = false
            if !FileManager.default.fileExists(atPath: inbox.path, isDirectory: &isDir) {
                out.append(("inbox[\(i)].path", "folder \"\(inbox.path)\" does not exist; create it, fix the path, or set create = true"))
            } else if !isDir.boolValue {
                out.append(("inbox[\(i)].path", "\"\(inbox.path)\" is not a folder"))
            }
        }
        return out
    }

    /// True when `path` is `folder` or below it.
    static func isInside(_ path: String, _ folder: String) -> Bool {
        path == folder || path.hasPrefix(folder.hasSuffix("/") ? folder : folder + "/")
    }

    /// The absolute path with `.`/`..` removed and symlinks resolved for the part that exists.
    static func resolved(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var parts: [String] = []
        for part in absolute.split(separator: "/") where part != "." {
            if part == ".." { _ = parts.popLast() } else { parts.append(String(part)) }
        }
        // Resolve the longest prefix that exists, then append the rest.
        var existing = parts.count
        while existing > 0 {
            let prefix = "/" + parts[0..<existing].joined(separator: "/")
            if let real = realpath(prefix, nil) {
                defer { free(real) }
                let rest = parts[existing...]
                let base = String(cString: real)
                return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
            }
            existing -= 1
        }
        return "/" + parts.joined(separator: "/")
    }
}
