import Foundation
import MirrorImaging
import MirrorStore

/// The media directory (`site.media`): files published by fsync and rename on the image thread
/// that made them, as before there were buckets.
struct DirectoryMediaStore: MediaStore {
    let files: ContentStore

    var scratch: String { files.root }

    func holds(_ path: String) -> Bool {
        files.exists(path)
    }

    func stage(
        original temporary: String, as path: String, sha256: String, thumbnails: [StagedThumbnail]
    )
        throws(MediaStoreFailure) -> StagedFiles
    {
        do {
            for thumbnail in thumbnails { try files.write(thumbnail.bytes, as: thumbnail.record.path) }
            try files.publish(temporary: temporary, as: path)
        } catch {
            throw MediaStoreFailure(error)
        }
        return StagedFiles(uploads: [], tookTemporary: true)
    }

    func commit(_ staged: StagedFiles) async throws(MediaStoreFailure) {}

    func write(_ bytes: [UInt8], as path: String) async throws(MediaStoreFailure) {
        do {
            try files.write(bytes, as: path)
        } catch {
            throw MediaStoreFailure(error)
        }
    }

    func localCopy(of path: String) async throws(MediaStoreFailure) -> LocalCopy {
        let absolute = files.absolute(path)
        guard FileManager.default.isReadableFile(atPath: absolute) else {
            throw MediaStoreFailure(message: "\(absolute) is missing")
        }
        return LocalCopy(path: absolute, isScratch: false)
    }

    func inspect(_ path: String) async throws(MediaStoreFailure) -> StoredFile? {
        guard let data = FileBytes.read(files.absolute(path)) else { return nil }
        return StoredFile(bytes: data.count, sha256: [UInt8](data).sha256Hex)
    }

    func put(file: String, as path: String, sha256: String) async throws(MediaStoreFailure) {
        let target = files.absolute(path)
        do {
            try AtomicFile.makeDirectories((target as NSString).deletingLastPathComponent)
            let descriptor = Glibc.open(file, O_RDONLY | O_CLOEXEC)
            if descriptor >= 0 {
                defer { Glibc.close(descriptor) }
                try AtomicFile.flush(descriptor, path: file)
            }
            try AtomicFile.publish(file, to: target)
        } catch {
            throw MediaStoreFailure(error)
        }
    }

    func remove(_ path: String) async throws(MediaStoreFailure) {
        let absolute = files.absolute(path)
        if unlink(absolute) != 0, errno != ENOENT {
            throw MediaStoreFailure(message: "cannot remove \(absolute): \(String(cString: strerror(errno)))")
        }
        // An emptied fan-out directory goes too (rmdir fails, harmlessly, when it is not empty).
        let directory = (absolute as NSString).deletingLastPathComponent
        if directory != files.root { rmdir(directory) }
    }

    func location(of path: String) -> String {
        files.absolute(path)
    }

    /// Free space is the daemon's own readiness check (`daemon.min_free_bytes`).
    func unavailability() async -> String? {
        nil
    }

    func open() async throws(MediaStoreFailure) {
        do {
            try AtomicFile.makeDirectories(files.root)
        } catch {
            throw MediaStoreFailure(message: "media directory: \(error)")
        }
    }

    func removeStaleTemporaries() -> Int {
        files.removeStaleTemporaries()
    }

    /// Every regular file under the media directory, with its modification time.
    func inventory(manifest: Manifest) -> [InventoryItem] {
        let paths = FileManager.default.enumerator(atPath: files.root)?.compactMap { $0 as? String } ?? []
        return paths.sorted().compactMap { relative in
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: files.absolute(relative)),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { return nil }
            return InventoryItem(
                path: relative, bytes: (attributes[.size] as? Int) ?? 0,
                stored: (attributes[.modificationDate] as? Date) ?? Date())
        }
    }

    func close() {}
}
