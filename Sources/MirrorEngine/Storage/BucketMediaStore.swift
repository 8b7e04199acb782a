import Foundation
import MirrorBucket
import MirrorFetch
import MirrorImaging
import MirrorStore

/// An S3-compatible bucket (`storage.backend: s3`): files are objects under `storage.s3.prefix`,
/// uploaded from the verified download (streamed) or from memory (thumbnails), each PUT signed
/// with the bytes' SHA-256. Only the file in flight is on local disk, in `scratch`.
struct BucketMediaStore: MediaStore {
    let client: BucketClient
    /// `storage.s3.prefix`, without slashes; keys are `prefix/ab/abcd….jpg`.
    let prefix: String
    let scratch: String

    func key(of path: String) -> String {
        prefix.isEmpty ? path : "\(prefix)/\(path)"
    }

    func holds(_ path: String) -> Bool {
        true
    }

    func stage(
        original temporary: String, as path: String, sha256: String, thumbnails: [StagedThumbnail]
    )
        throws(MediaStoreFailure) -> StagedFiles
    {
        var staged = StagedFiles()
        for thumbnail in thumbnails {
            staged.uploads.append(
                StagedFiles.Upload(
                    path: thumbnail.record.path, body: .bytes(thumbnail.bytes), sha256: thumbnail.bytes.sha256Hex))
        }
        // Last: an original in the bucket means its thumbnails are there too.
        staged.uploads.append(StagedFiles.Upload(path: path, body: .temporary(temporary), sha256: sha256))
        return staged
    }

    /// Uploads thumbnails then the original; an object already there with the same size is
    /// not sent again (keys are content hashes).
    func commit(_ staged: StagedFiles) async throws(MediaStoreFailure) {
        for upload in staged.uploads {
            switch upload.body {
            case .bytes(let bytes):
                try await store(
                    key: key(of: upload.path), body: .bytes(bytes), size: bytes.count, sha256: upload.sha256)
            case .temporary(let file):
                try await put(file: file, as: upload.path, sha256: upload.sha256, removing: false)
            }
        }
    }

    private func store(key: String, body: UploadBody, size: Int, sha256: String) async throws(MediaStoreFailure) {
        do {
            if let head = try await client.head(key: key), head.bytes == size { return }
            try await client.put(key: key, body: body, sha256: sha256, contentType: Self.contentType(of: key))
        } catch {
            throw MediaStoreFailure(error)
        }
    }

    func write(_ bytes: [UInt8], as path: String) async throws(MediaStoreFailure) {
        try await store(key: key(of: path), body: .bytes(bytes), size: bytes.count, sha256: bytes.sha256Hex)
    }

    func put(file: String, as path: String, sha256: String) async throws(MediaStoreFailure) {
        try await put(file: file, as: path, sha256: sha256, removing: true)
    }

    private func put(file: String, as path: String, sha256: String, removing: Bool) async throws(MediaStoreFailure) {
        let descriptor = Glibc.open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw MediaStoreFailure(message: "cannot read \(file): \(String(cString: strerror(errno)))")
        }
        defer {
            Glibc.close(descriptor)
            if removing { unlink(file) }
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw MediaStoreFailure(message: "cannot read \(file): \(String(cString: strerror(errno)))")
        }
        let size = Int(status.st_size)
        try await store(key: key(of: path), body: .file(descriptor: descriptor, size: size), size: size, sha256: sha256)
    }

    func localCopy(of path: String) async throws(MediaStoreFailure) -> LocalCopy {
        let temporary: (path: String, descriptor: Int32)
        do {
            try AtomicFile.makeDirectories(scratch)
            temporary = try AtomicFile.createTemporary(in: scratch)
        } catch {
            throw MediaStoreFailure(error)
        }
        defer { Glibc.close(temporary.descriptor) }
        do {
            _ = try await client.get(key: key(of: path), into: temporary.descriptor)
        } catch {
            unlink(temporary.path)
            throw MediaStoreFailure(error)
        }
        return LocalCopy(path: temporary.path, isScratch: true)
    }

    func inspect(_ path: String) async throws(MediaStoreFailure) -> StoredFile? {
        do {
            guard let head = try await client.head(key: key(of: path)) else { return nil }
            return StoredFile(bytes: head.bytes, sha256: head.sha256)
        } catch {
            throw MediaStoreFailure(error)
        }
    }

    func remove(_ path: String) async throws(MediaStoreFailure) {
        do {
            try await client.delete(key: key(of: path))
        } catch {
            throw MediaStoreFailure(error)
        }
    }

    func location(of path: String) -> String {
        client.url(of: key(of: path))
    }

    /// The bucket answers and takes a write (a small probe object, removed again).
    func unavailability() async -> String? {
        do {
            try await client.checkReachable()
            try await client.checkWritable(key: key(of: ".mediamirror-ready"))
            return nil
        } catch {
            return "bucket \(client.address.bucket) at \(client.address.authority): \(error.message)"
        }
    }

    func open() async throws(MediaStoreFailure) {
        do {
            try AtomicFile.makeDirectories(scratch)
        } catch {
            throw MediaStoreFailure(message: "scratch directory \(scratch): \(error)", isDiskFull: error.isDiskFull)
        }
        do {
            try await client.checkReachable()
        } catch {
            throw MediaStoreFailure(error)
        }
    }

    func inventory(manifest: Manifest) throws -> [InventoryItem] {
        var items: [InventoryItem] = []
        let thumbnails = Dictionary(grouping: try manifest.allThumbnails(), by: \.asset)
        for asset in try manifest.allAssets() {
            let stored = Date(timeIntervalSince1970: asset.createdAt)
            items.append(InventoryItem(path: asset.path, bytes: asset.bytes, stored: stored))
            for thumbnail in thumbnails[asset.sha256] ?? [] {
                items.append(InventoryItem(path: thumbnail.path, bytes: thumbnail.bytes, stored: stored))
            }
        }
        return items.sorted { $0.path < $1.path }
    }

    func removeStaleTemporaries() -> Int {
        AtomicFile.removeTemporaries(under: scratch, depth: 0)
    }

    func close() {
        client.shutdown()
    }

    static func contentType(of key: String) -> String {
        ImageFormat.mediaType(ofPath: key)
    }
}
