import Foundation

/// Lists the posts under the posts directory: regular files with a post extension, recursively,
/// in a stable order. Hidden files and directories (editor swap files, `.git`) are skipped.
enum PostFinder {
    static let extensions: Set<String> = ["md", "markdown", "html", "htm"]

    static func posts(under root: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw SyncError.cannotRun("posts directory \(root) does not exist or is not a directory")
        }
        guard let enumerator = FileManager.default.enumerator(atPath: root) else {
            throw SyncError.cannotRun("posts directory \(root) cannot be read")
        }
        var result: [String] = []
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
            result.append(relative)
        }
        return result.sorted()
    }

    static func isMarkdown(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        return ext == "md" || ext == "markdown"
    }
}
