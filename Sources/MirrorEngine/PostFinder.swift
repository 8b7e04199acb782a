import Foundation

/// Lists the posts under the posts directory: regular files with a post extension, recursively,
/// in a stable order. Hidden files and directories (editor swap files, `.git`) are skipped.
public enum PostFinder {
    static let extensions: Set<String> = ["md", "markdown", "html", "htm"]

    /// A post file and what `stat` says of it.
    struct Entry {
        var relativePath: String
        var size: Int
        var mtime: Double
    }

    static func posts(under root: String) throws -> [String] {
        try entries(under: root).map(\.relativePath)
    }

    static func entries(under root: String) throws -> [Entry] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SyncError.cannotRun("posts directory \(root) does not exist or is not a directory")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw SyncError.cannotRun("posts directory \(root) cannot be read")
        }
        var result: [Entry] = []
        while let relative = enumerator.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                if enumerator.fileAttributes?[.type] as? FileAttributeType == .typeDirectory {
                    enumerator.skipDescendants()
                }
                continue
            }
            guard extensions.contains((name as NSString).pathExtension.lowercased()),
                enumerator.fileAttributes?[.type] as? FileAttributeType == .typeRegular
            else { continue }
            let attributes = enumerator.fileAttributes
            result.append(
                Entry(
                    relativePath: relative, size: (attributes?[.size] as? Int) ?? -1,
                    mtime: (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1))
        }
        return result.sorted { $0.relativePath < $1.relativePath }
    }

    /// Whether a file of this name is a post (what the watcher reacts to).
    public static func isPostName(_ name: String) -> Bool {
        !name.hasPrefix(".") && extensions.contains((name as NSString).pathExtension.lowercased())
    }

    static func isMarkdown(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext == "md" || ext == "markdown"
    }
}
