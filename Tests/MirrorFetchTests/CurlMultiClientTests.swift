import Crypto
import Foundation
import MirrorFetch
import TestSupport
import Testing

/// The libcurl client against a real HTTP server on 127.0.0.1.
@Suite(.serialized)
final class CurlMultiClientTests: Sendable {
    let directory: TemporaryDirectory
    let origin: OriginServer
    let image: [UInt8]

    init() throws {
        directory = try TemporaryDirectory("mediamirror-fetch")
        let root = directory.appending("origin")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        origin = try OriginServer(root: root)
        image = try TestImages.jpeg(width: 300, height: 200)
        try origin.serve(image, host: "127.0.0.1", path: "a.jpg")
        try origin.serve(image, host: "images.test", path: "b.jpg")
    }

    deinit {
        origin.stop()
        directory.remove()
    }

    /// Loopback is blocked by default; these tests talk to it directly, so they open it.
    func client(
        _ configure: (inout FetchPolicy) -> Void = { _ in }, environment: [String: String] = [:]
    ) throws -> CurlMultiClient {
        var policy = FetchPolicy(
            connectTimeout: 5, timeout: 20,
            addressPolicy: AddressPolicy(allowed: [NetworkRange("127.0.0.0/8")].compactMap { $0 }))
        configure(&policy)
        return try CurlMultiClient(policy: policy, environment: environment)
    }

    func download(
        _ client: CurlMultiClient, _ url: String
    ) async throws -> (Result<FetchResponse, FetchFailure>, [UInt8]) {
        let path = directory.appending("body-\(UUID().uuidString)").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        #expect(descriptor >= 0)
        defer { close(descriptor) }
        let result = await client.fetch(FetchRequest(url: url, descriptor: descriptor))
        let bytes = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))) ?? []
        return (result, bytes)
    }

    func failure(_ result: Result<FetchResponse, FetchFailure>) -> FetchFailure? {
        if case .failure(let failure) = result { return failure }
        return nil
    }

    @Test func downloadsAndHashesWhileStreaming() async throws {
        let client = try client()
        let (result, bytes) = try await download(client, "\(origin.baseURL)/a.jpg")
        let response = try result.get()
        #expect(bytes == image)
        #expect(response.bytes == image.count)
        #expect(response.sha256 == SHA256.hash(data: image).map { String(format: "%02x", $0) }.joined())
        #expect(response.httpStatus == 200)
        #expect(response.contentType == "image/jpeg")
    }

    @Test func loopbackIsBlockedByDefaultOnTheConnectedAddress() async throws {
        let client = try client { $0.addressPolicy = AddressPolicy() }
        let (result, bytes) = try await download(client, "\(origin.baseURL)/a.jpg")
        #expect(failure(result)?.kind == .blockedAddress)
        #expect(bytes.isEmpty)
        // "localhost" resolves to the same address: still blocked.
        let (named, _) = try await download(client, "http://localhost:\(origin.port)/a.jpg")
        #expect(failure(named)?.kind == .blockedAddress)
        #expect(origin.requests().isEmpty)
    }

    @Test func aRedirectToABlockedAddressIsBlocked() async throws {
        // The first hop is allow-listed (127.0.0.1/32); the redirect goes to 127.0.0.3, which is
        // refused before any connection is made (nothing listens there anyway).
        let client = try client {
            $0.addressPolicy = AddressPolicy(allowed: [NetworkRange("127.0.0.1/32")].compactMap { $0 })
        }
        let target = "http://127.0.0.3:\(origin.port)/a.jpg"
        let (result, _) = try await download(client, "\(origin.baseURL)/__/redirect?to=\(target)")
        #expect(failure(result)?.kind == .blockedAddress)
    }

    @Test func errorsAreClassified() async throws {
        let client = try client { $0.maxBytes = 100_000 }
        let (notFound, _) = try await download(client, "\(origin.baseURL)/missing.jpg")
        #expect(failure(notFound)?.kind == .httpStatus)
        #expect(failure(notFound)?.httpStatus == 404)
        #expect(failure(notFound)?.isTransient == false)
        let (serverError, _) = try await download(client, "\(origin.baseURL)/__/status/503")
        #expect(failure(serverError)?.isTransient == true)
        let (tooBig, partial) = try await download(client, "\(origin.baseURL)/__/bytes/5000000")
        #expect(failure(tooBig)?.kind == .tooLarge)
        #expect(partial.count <= 100_000)
        let (fileRedirect, _) = try await download(client, "\(origin.baseURL)/__/redirect?to=file:///etc/passwd")
        #expect(failure(fileRedirect)?.kind == .forbiddenProtocol)
        let (loop, _) = try await download(
            client, "\(origin.baseURL)/__/redirect?to=/__/redirect?to=/__/redirect%3Fto=/a.jpg")
        #expect(try loop.get().bytes == image.count)
        let (refused, _) = try await download(client, "http://127.0.0.1:1/a.jpg")
        #expect(failure(refused)?.kind == .connect)
    }

    @Test func tooManyRedirectsIsAFailure() async throws {
        let client = try client { $0.maxRedirects = 1 }
        let (result, _) = try await download(
            client, "\(origin.baseURL)/__/redirect?to=/__/redirect%3Fto%3D/a.jpg")
        #expect(failure(result)?.kind == .tooManyRedirects)
    }

    @Test func theStandardProxyVariableIsHonoured() async throws {
        let client = try client(environment: ["http_proxy": origin.baseURL])
        let (result, bytes) = try await download(client, "http://images.test/b.jpg")
        #expect(try result.get().httpStatus == 200)
        #expect(bytes == image)
        #expect(origin.requests().contains("GET http://images.test/b.jpg 200"))
        let excluded = try self.client(environment: ["http_proxy": origin.baseURL, "no_proxy": ".test"])
        let (direct, _) = try await download(excluded, "http://images.test/b.jpg")
        #expect(failure(direct)?.kind == .dns)
    }

    @Test func perHostLimitHolds() async throws {
        let client = try client {
            $0.concurrency = 8
            $0.perHost = 3
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<9 {
                group.addTask {
                    _ = try? await self.download(client, "\(self.origin.baseURL)/__/slow/300?then=/a.jpg")
                }
            }
        }
        let (stats, body) = try await download(client, "\(origin.baseURL)/__/stats")
        _ = try stats.get()
        let peak = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Int]
        #expect(peak?["peak"] == 3)
    }

    /// 10,000 transfers queued at once to one host: the server never sees more than the
    /// per-host limit of connections, and keep-alive means it sees few connections at all.
    @Test func tenThousandQueuedURLsKeepToThePerHostLimit() async throws {
        var limit = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < 11_000 {
            limit.rlim_cur = min(limit.rlim_max, 11_000)
            setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit)
        }
        let count = 10_000
        try #require(limit.rlim_cur >= count + 500, "needs \(count + 500) file descriptors")
        let gif: [UInt8] = Array("GIF89a".utf8) + [1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x3B]
        try origin.serve(gif, host: "127.0.0.1", path: "t.gif")
        let folder = directory.appending("many")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let client = try client {
            $0.concurrency = 16
            $0.perHost = 4
        }
        let base = origin.baseURL
        let succeeded = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<count {
                group.addTask {
                    let descriptor = open(
                        folder.appendingPathComponent("\(index)").path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
                    guard descriptor >= 0 else { return false }
                    defer { close(descriptor) }
                    let result = await client.fetch(
                        FetchRequest(url: "\(base)/t.gif?i=\(index)", descriptor: descriptor))
                    return (try? result.get())?.bytes == gif.count
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(succeeded == count)
        // Asked on the same client, so an idle kept-alive connection answers.
        let (stats, body) = try await download(client, "\(origin.baseURL)/__/stats")
        _ = try stats.get()
        let seen = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Int]
        let peak = seen?["connections_peak"] ?? 0
        #expect((1...4).contains(peak), "the server saw \(peak) connections at once")
        #expect((seen?["connections_total"] ?? .max) <= 16, "\(seen ?? [:])")
    }

    @Test func retriesTransientFailuresThenSucceeds() async throws {
        let downloader = Downloader(client: try client(), attempts: 3, baseDelay: 0.01)
        let path = directory.appending("retry").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
        defer { close(descriptor) }
        let outcome = await downloader.download(
            FetchRequest(url: "\(origin.baseURL)/__/flaky/k1/2?then=/a.jpg", descriptor: descriptor))
        #expect(outcome.attempts == 3)
        #expect(try outcome.result.get().bytes == image.count)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == image)

        let giveUp = await Downloader(client: try client(), attempts: 2, baseDelay: 0.01).download(
            FetchRequest(url: "\(origin.baseURL)/__/flaky/k2/5?then=/a.jpg", descriptor: descriptor))
        #expect(giveUp.attempts == 2)
        #expect(failure(giveUp.result)?.httpStatus == 503)

        let permanent = await downloader.download(
            FetchRequest(url: "\(origin.baseURL)/gone.jpg", descriptor: descriptor))
        #expect(permanent.attempts == 1)
    }

    @Test func cancellationStopsATransfer() async throws {
        let client = try client()
        // The origin holds the body for a minute; a cancelled transfer must end long before.
        // (The bound is loose because a busy test run can delay this task's scheduling.)
        let task = Task { try await self.download(client, "\(self.origin.baseURL)/__/slow/60000?then=/a.jpg") }
        try await Task.sleep(for: .milliseconds(200))
        task.cancel()
        let started = ContinuousClock.now
        let (result, _) = try await task.value
        #expect(failure(result)?.kind == .cancelled)
        #expect(ContinuousClock.now - started < .seconds(20))
    }
}
