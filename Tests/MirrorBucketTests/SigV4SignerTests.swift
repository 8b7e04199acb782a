import Foundation
import Testing

@testable import MirrorBucket

@Suite("SigV4 signing")
struct SigV4SignerTests {
    let credentials = BucketCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")

    /// AWS's documented example (S3 API reference, "Signature Calculations for the Authorization
    /// Header", GET Object): the same inputs must give the same signature.
    @Test func matchesAWSDocumentedGetObjectExample() throws {
        let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
        let headers = signer.sign(
            method: "GET", host: "examplebucket.s3.amazonaws.com", path: "/test.txt",
            headers: [("Range", "bytes=0-9")], payloadHash: SigV4Signer.emptyPayloadHash,
            date: Date(timeIntervalSince1970: 1_369_353_600))
        let authorization = try #require(headers.first { $0.hasPrefix("Authorization: ") })
        #expect(
            authorization
                == "Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(headers.contains("x-amz-date: 20130524T000000Z"))
        #expect(headers.contains("x-amz-content-sha256: \(SigV4Signer.emptyPayloadHash)"))
    }

    @Test func signsTheSessionTokenAndNeverShowsTheSecret() throws {
        let withToken = BucketCredentials(
            accessKeyID: "AKID", secretAccessKey: "very-secret-value", sessionToken: "token-1")
        let headers = SigV4Signer(credentials: withToken, region: "auto").sign(
            method: "PUT", host: "127.0.0.1:8333", path: "/b/k", payloadHash: SigV4Signer.emptyPayloadHash)
        #expect(headers.contains("x-amz-security-token: token-1"))
        let authorization = try #require(headers.first { $0.hasPrefix("Authorization: ") })
        #expect(authorization.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token"))
        #expect(!headers.joined().contains("very-secret-value"))
        #expect(!"\(withToken)".contains("very-secret-value"))
    }

    @Test func encodesKeysAsS3Expects() {
        #expect(SigV4Signer.encode("/b/a b+c~é.jpg", keepSlash: true) == "/b/a%20b%2Bc~%C3%A9.jpg")
        #expect(SigV4Signer.encode("a/b", keepSlash: false) == "a%2Fb")
    }

    @Test func addressesPathAndVirtualHostStyle() throws {
        let path = try BucketAddress(
            endpoint: "http://127.0.0.1:8333", bucket: "media", region: "us-east-1", pathStyle: true)
        #expect(path.locate(key: "blog/ab/x.jpg").url == "http://127.0.0.1:8333/media/blog/ab/x.jpg")
        #expect(path.locate(key: "").url == "http://127.0.0.1:8333/media")
        let virtual = try BucketAddress(
            endpoint: "https://s3.eu-west-1.amazonaws.com", bucket: "media", region: "eu-west-1", pathStyle: false)
        #expect(virtual.locate(key: "x.jpg").url == "https://media.s3.eu-west-1.amazonaws.com/x.jpg")
        #expect(virtual.locate(key: "x.jpg").host == "media.s3.eu-west-1.amazonaws.com")
        #expect(throws: BucketFailure.self) {
            try BucketAddress(endpoint: "ftp://x", bucket: "b", region: "r", pathStyle: true)
        }
    }

    @Test func readsACredentialsFile() throws {
        let path = NSTemporaryDirectory() + "mm-credentials-\(UUID().uuidString)"
        defer { unlink(path) }
        try Data(
            """
            [default]
            aws_access_key_id = AKID1
            aws_secret_access_key = s1
            [profile site-b]
            aws_access_key_id=AKID2
            aws_secret_access_key=s2
            aws_session_token=t2
            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        let first = try BucketCredentials.fromFile(path, profile: "default")
        #expect(first.accessKeyID == "AKID1" && first.sessionToken == nil)
        let second = try BucketCredentials.fromFile(path, profile: "site-b")
        #expect(second.accessKeyID == "AKID2" && second.sessionToken == "t2")
        #expect(throws: BucketFailure.self) { try BucketCredentials.fromFile(path, profile: "missing") }
    }
}
