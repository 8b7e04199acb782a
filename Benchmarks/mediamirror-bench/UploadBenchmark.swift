import Crypto
import Foundation
import MirrorBucket
import MirrorFetch

/// Uploads every file under a directory to a bucket with the sync's upload engine (one
/// BucketClient: a curl multi handle, SigV4, HEAD then a streamed PUT as `BucketMediaStore`
/// does), `concurrency` at once. The SHA-256 is computed here (a sync has it from the
/// download), as rclone computes its MD5.
enum UploadBenchmark {
    struct Result {
        var files = 0
        var bytes = 0
        var seconds = 0.0
    }

    static func run(
        endpoint: String, bucket: String, prefix: String, directory: String, concurrency: Int
    )
        async throws -> Result
    {
        guard let credentials = BucketCredentials.fromEnvironment(ProcessInfo.processInfo.environment) else {
            throw BucketFailure(.credentials, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
        }
        let client = try BucketClient(
            address: BucketAddress(endpoint: endpoint, bucket: bucket, region: "us-east-1", pathStyle: true),
            credentials: credentials, concurrency: concurrency)
        defer { client.shutdown() }
        let files = (FileManager.default.subpaths(atPath: directory) ?? []).filter {
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: "\(directory)/\($0)", isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }.sorted()
        let started = ContinuousClock.now
        var result = Result()
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            func submit() {
                let relative = files[next]
                next += 1
                group.addTask {
                    try await upload("\(directory)/\(relative)", key: "\(prefix)/\(relative)", client: client)
                }
            }
            while next < min(files.count, concurrency * 2) { submit() }
            while let bytes = try await group.next() {
                result.files += 1
                result.bytes += bytes
                if next < files.count { submit() }
            }
        }
        let elapsed = (ContinuousClock.now - started).components
        result.seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        return result
    }

    private static func upload(_ path: String, key: String, client: BucketClient) async throws -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BucketFailure(.local, "cannot open \(path)") }
        defer { close(descriptor) }
        var hasher = SHA256()
        var size = 0
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            hasher.update(data: buffer[0..<count])
            size += count
        }
        let sha = hasher.finalize().lowercaseHex
        if let head = try await client.head(key: key), head.bytes == size { return size }
        try await client.put(
            key: key, body: .file(descriptor: descriptor, size: size), sha256: sha,
            contentType: path.hasSuffix(".png") ? "image/png" : "image/jpeg")
        return size
    }
}
