import Foundation

extension MirrorConfiguration {
    /// What a sync or the daemon needs on disk before it starts: the posts directory readable,
    /// the CA bundle (if any) readable. A problem is a configuration error naming the key.
    public func checkPaths() throws(ConfigurationError) {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: site.posts, isDirectory: &isDirectory) {
            throw ConfigurationError(key: "site.posts", reason: "\(site.posts) does not exist", file: sourcePath)
        }
        if !isDirectory.boolValue {
            throw ConfigurationError(key: "site.posts", reason: "\(site.posts) is not a directory", file: sourcePath)
        }
        if access(site.posts, R_OK | X_OK) != 0 {
            throw ConfigurationError(
                key: "site.posts", reason: "\(site.posts) cannot be read (\(String(cString: strerror(errno))))",
                file: sourcePath)
        }
        if FileManager.default.fileExists(atPath: site.media, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw ConfigurationError(key: "site.media", reason: "\(site.media) is not a directory", file: sourcePath)
        }
        if !fetch.caBundle.isEmpty && access(fetch.caBundle, R_OK) != 0 {
            throw ConfigurationError(
                key: "fetch.ca_bundle",
                reason: "\(fetch.caBundle) cannot be read (\(String(cString: strerror(errno))))",
                file: sourcePath)
        }
    }
}
