import Foundation

/// Where things are when tests run from a checkout: the repository, `../shared`, the built binary.
public enum Paths {
    /// The repository root, found from this source file's location.
    public static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository (read-only fixtures).
    public static let shared: URL = repository.deletingLastPathComponent().appendingPathComponent("shared")

    public static let origin: URL = repository.appendingPathComponent("Tests/Origin/origin.py")
    public static let archive: URL = repository.appendingPathComponent("Tests/Origin/archive.py")
    public static let s3Faults: URL = repository.appendingPathComponent("Tests/Origin/s3faults.py")

    /// The built `mediamirror` executable, beside the test bundle.
    public static var executable: URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("mediamirror")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return repository.appendingPathComponent(".build/debug/mediamirror")
    }
}
