import Foundation
import Logging
import MirrorConfig
import MirrorPosts
import MirrorStore

/// Removes stored originals and thumbnails that nothing uses. A file is in use when a
/// reference in the manifest or a local value in any post on disk leads to its asset, so a stale
/// manifest can never cost a post its image. A thumbnail of a width or format no longer in
/// `thumbnails.*` goes too, unless a post points at that very file.
public struct GarbageCollector: EngineJob {
    public let context: EngineContext

    public init(_ context: EngineContext) {
        self.context = context
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public var removed: [String] = []
        public var bytesRemoved = 0
        public var kept = 0
        public var tooRecent = 0
        public var dryRun = false

        enum CodingKeys: String, CodingKey {
            case removed, kept
            case bytesRemoved = "bytes_removed"
            case tooRecent = "too_recent"
            case dryRun = "dry_run"
        }
    }

    public func collect(dryRun: Bool, grace: TimeInterval, now: Date = Date()) async throws -> Outcome {
        let manifest = try configuration.openManifest()
        let writerLock = dryRun ? nil : try configuration.lockWriters(purpose: "gc")
        defer { withExtendedLifetime(writerLock) {} }
        let store = try MediaStoreFactory.storeOrStop(for: configuration)
        defer { store.close() }
        // In use: what a rewritten reference points at…
        let references = try manifest.allReferences()
        var used = Set(references.filter { $0.localValue != nil }.compactMap(\.asset))
        // Whatever the posts point at now, manifest or not.
        let scanner = ReferenceScanner(configuration: configuration)
        // …and the files posts point at by name (a thumbnail a variant chose).
        var pointedAt: Set<String> = []
        let prefix =
            configuration.site.urlPrefix.hasSuffix("/")
            ? configuration.site.urlPrefix : configuration.site.urlPrefix + "/"
        for relative in try PostFinder.posts(under: configuration.site.posts) {
            let path = (configuration.site.posts as NSString).appendingPathComponent(relative)
            guard let data = FileBytes.read(path) else {
                throw SyncError.cannotRun("post \(relative) cannot be read; nothing removed")
            }
            for reference in scanner.scan([UInt8](data), isMarkdown: PostFinder.isMarkdown(relative)).references
            where reference.value.hasPrefix(prefix) {
                let file = String(reference.value.dropFirst(prefix.count))
                if let sha = Self.hash(ofFile: file) { used.insert(sha) }
                pointedAt.insert(file)
            }
        }
        for reference in references {
            if let value = reference.localValue, value.hasPrefix(prefix) {
                pointedAt.insert(String(value.dropFirst(prefix.count)))
            }
        }
        let plan = ThumbnailPlan(configuration: configuration)
        let unwanted = Set(
            try manifest.allThumbnails().filter { plan.isUnwanted($0) && !pointedAt.contains($0.path) }.map(\.path))
        var outcome = Outcome()
        outcome.dryRun = dryRun
        var forgotten: Set<String> = []
        for item in try store.inventory(manifest: manifest) {
            let relative = item.path
            let name = (relative as NSString).lastPathComponent
            if let sha = Self.hash(ofFile: name), used.contains(sha), !unwanted.contains(relative) {
                outcome.kept += 1
                continue
            }
            guard now.timeIntervalSince(item.stored) >= grace else {
                outcome.tooRecent += 1
                continue
            }
            let size = item.bytes
            outcome.removed.append(relative)
            outcome.bytesRemoved += size
            guard !dryRun else { continue }
            do {
                try await store.remove(relative)
            } catch {
                throw SyncError.cannotRun("cannot remove \(store.location(of: relative)): \(error.message)")
            }
            if unwanted.contains(relative) {
                try manifest.forgetThumbnails(paths: [relative])
            } else if let sha = Self.hash(ofFile: name), forgotten.insert(sha).inserted {
                try manifest.forgetAsset(sha)
            }
            logger.info("removed", metadata: ["file": "\(relative)", "bytes": "\(size)"])
        }
        return outcome
    }

    /// The SHA-256 a stored file's name carries: `<sha>.<ext>` or `<sha>-<width>w.<ext>`.
    static func hash(ofFile path: String) -> String? {
        let name = (path as NSString).lastPathComponent
        let candidate = name.prefix(64)
        guard candidate.count == 64, candidate.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { return nil }
        return String(candidate)
    }

    /// `90`, `90s`, `15m`, `2h`, `7d` as seconds.
    public static func parseDuration(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let seconds = Double(text), seconds >= 0 { return seconds }
        guard let unit = text.last, let factor = units[unit], let value = Double(text.dropLast()), value >= 0 else {
            return nil
        }
        return value * factor
    }
}
