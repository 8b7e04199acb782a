import Crypto
import Foundation
import MirrorFetch
import Testing

@testable import MirrorBucket
@testable import TestSupport

/// The client against real S3 servers on 127.0.0.1: SeaweedFS (signatures checked) and
/// `rclone serve s3`, a second, independent implementation.
@Suite("Bucket client against real S3 servers", .serialized)
struct BucketClientTests {
    static func client(
        _ endpoint: String, bucket: String, secret: String = S3Server.secretKey, attempts: Int = 5
    ) throws -> BucketClient {
        try BucketClient(
            address: BucketAddress(endpoint: endpoint, bucket: bucket, region: "us-east-1", pathStyle: true),
            credentials: BucketCredentials(accessKeyID: S3Server.accessKey, secretAccessKey: secret),
            attempts: attempts, baseDelay: 0.05)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    @Test(arguments: [S3Server.Kind.seaweedfs, .rclone])
    func storesReadsAndRemovesObjects(kind: S3Server.Kind) async throws {
        let directory = try TemporaryDirectory()
        let server = try S3Server(kind, directory: directory.url.appendingPathComponent("s3"))
        defer { server.stop() }
        let client = try Self.client(server.endpoint, bucket: "media")
        defer { client.shutdown() }
        try await client.createBucket()
        try await client.checkReachable()
        try await client.checkWritable(key: "site/.mediamirror-ready")

        let small = Array("hello bucket".utf8)
        try await client.put(
            key: "site/ab/one.txt", body: .bytes(small), sha256: Self.hex(small), contentType: "text/plain")
        // A file streamed from disk, larger than curl's buffers.
        let photo = try TestImages.jpeg(width: 900, height: 700, seed: 7)
        let file = directory.url.appendingPathComponent("photo.jpg")
        try Data(photo).write(to: file)
        let descriptor = open(file.path, O_RDONLY)
        defer { close(descriptor) }
        try await client.put(
            key: "site/cd/photo.jpg", body: .file(descriptor: descriptor, size: photo.count), sha256: Self.hex(photo),
            contentType: "image/jpeg")

        let head = try #require(try await client.head(key: "site/cd/photo.jpg"))
        #expect(head.bytes == photo.count)
        if kind == .seaweedfs { #expect(head.sha256 == Self.hex(photo)) }
        #expect(try await client.head(key: "site/none.jpg") == nil)

        let copy = directory.url.appendingPathComponent("copy.jpg")
        let out = open(copy.path, O_RDWR | O_CREAT | O_TRUNC, 0o600)
        defer { close(out) }
        let response = try await client.get(key: "site/cd/photo.jpg", into: out)
        #expect(response.sha256 == Self.hex(photo) && response.bytes == photo.count)

        try await client.delete(key: "site/cd/photo.jpg")
        #expect(try await client.head(key: "site/cd/photo.jpg") == nil)
        try await client.delete(key: "site/cd/photo.jpg")  // already gone: fine
    }

    @Test(arguments: [S3Server.Kind.seaweedfs, .rclone])
    func namesWrongCredentialsAndAMissingBucket(kind: S3Server.Kind) async throws {
        let directory = try TemporaryDirectory()
        let server = try S3Server(kind, directory: directory.url.appendingPathComponent("s3"))
        defer { server.stop() }
        let good = try Self.client(server.endpoint, bucket: "media")
        defer { good.shutdown() }
        try await good.createBucket()

        let wrong = try Self.client(server.endpoint, bucket: "media", secret: "not-the-secret-value", attempts: 1)
        defer { wrong.shutdown() }
        let refused = await #expect(throws: BucketFailure.self) {
            try await wrong.put(key: "x", body: .bytes([1]), sha256: Self.hex([1]), contentType: "text/plain")
        }
        #expect(refused?.kind == .credentials)
        #expect(refused.map { !"\($0)".contains("not-the-secret-value") } ?? false)

        let missing = try Self.client(server.endpoint, bucket: "no-such-bucket", attempts: 1)
        defer { missing.shutdown() }
        let absent = await #expect(throws: BucketFailure.self) { try await missing.checkReachable() }
        #expect(absent?.kind == .missingBucket)
    }

    /// SlowDown answers are retried, and every PUT's signed payload hash is the SHA-256 of the
    /// bytes that arrived (SeaweedFS does not check that; the proxy does).
    @Test func retriesSlowDownAndSignsThePayloadItSends() async throws {
        let directory = try TemporaryDirectory()
        let server = try S3Server(.seaweedfs, directory: directory.url.appendingPathComponent("s3"))
        defer { server.stop() }
        let proxy = try OriginServer(
            script: Paths.s3Faults, root: directory.url,
            arguments: ["--upstream", server.endpoint, "--slowdown", "3", "--slowdown-every", "4"])
        defer { proxy.stop() }
        let client = try Self.client(proxy.baseURL, bucket: "media", attempts: 8)
        defer { client.shutdown() }
        try await client.createBucket()
        let photo = try TestImages.jpeg(width: 900, height: 700, seed: 7)
        for index in 0..<6 {
            try await client.put(
                key: "k/\(index).jpg", body: .bytes(photo), sha256: Self.hex(photo), contentType: "image/jpeg")
        }
        let log = proxy.requests()
        #expect(log.filter { $0.hasSuffix("SLOWDOWN") }.count >= 4)
        #expect(!log.contains { $0.contains("PAYLOAD-MISMATCH") })
        #expect(log.filter { $0.hasPrefix("PUT /media/k/") && $0.hasSuffix(" 200") }.count == 6)

        // And a wrong hash is caught by the proxy: the check is real.
        let refused = await #expect(throws: BucketFailure.self) {
            try await client.put(
                key: "k/bad.jpg", body: .bytes(photo), sha256: Self.hex([0]), contentType: "image/jpeg")
        }
        #expect(refused?.kind == .refused)
        #expect(proxy.requests().contains { $0.contains("PAYLOAD-MISMATCH") })
    }
}
