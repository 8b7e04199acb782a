import Foundation
import MirrorFetch
import TestSupport
import Testing

/// Against nginx speaking HTTP/2 over TLS (a certificate made for the test, trusted through
/// `fetch.ca_bundle`): the client negotiates HTTP/2 and multiplexes concurrent transfers to the
/// host over one connection, as nginx's own log shows.
@Suite(.serialized)
struct HTTP2Tests {
    @Test func concurrentTransfersShareOneHTTP2Connection() async throws {
        let nginx = try #require(
            ["/usr/sbin/nginx", "/usr/bin/nginx"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "nginx is not installed (scripts/test.sh installs it)")
        let directory = try TemporaryDirectory("mediamirror-http2")
        defer { directory.remove() }
        // nginx's workers run as another user.
        chmod(directory.path, 0o755)
        let certificate = directory.appending("cert.pem").path
        let key = directory.appending("key.pem").path
        let openssl = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/openssl"),
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ])
        try #require(openssl.status == 0, "\(openssl.stderr)")
        let image = try TestImages.jpeg(width: 200, height: 150)
        let root = directory.appending("root")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data(image).write(to: root.appendingPathComponent("a.jpg"))
        let port = FreePort.next()
        let log = directory.appending("access.log").path
        let configuration = """
            worker_processes 1;
            daemon off;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log;
            events { worker_connections 256; }
            http {
                log_format mm '$connection $server_protocol $request_uri';
                access_log \(log) mm;
                client_body_temp_path \(directory.path)/tmp-body;
                proxy_temp_path \(directory.path)/tmp-proxy;
                fastcgi_temp_path \(directory.path)/tmp-fastcgi;
                uwsgi_temp_path \(directory.path)/tmp-uwsgi;
                scgi_temp_path \(directory.path)/tmp-scgi;
                default_type image/jpeg;
                server {
                    listen 127.0.0.1:\(port) ssl http2;
                    ssl_certificate \(certificate);
                    ssl_certificate_key \(key);
                    root \(root.path);
                }
            }

            """
        let configPath = directory.appending("nginx.conf").path
        try configuration.write(toFile: configPath, atomically: true, encoding: .utf8)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: nginx)
        server.arguments = ["-c", configPath]
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        #expect(waitUntil(within: .seconds(10)) { Self.accepts(port: port) }, "nginx did not start")

        let client = try CurlMultiClient(
            policy: FetchPolicy(
                concurrency: 16, perHost: 8, connectTimeout: 5, timeout: 20, caBundle: certificate,
                addressPolicy: AddressPolicy(allowed: [NetworkRange("127.0.0.0/8")].compactMap { $0 })),
            environment: [:])
        let count = 40
        let versions = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<count {
                group.addTask {
                    let path = directory.appending("body-\(index)").path
                    let descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC, 0o644)
                    defer { close(descriptor) }
                    let result = await client.fetch(
                        FetchRequest(url: "https://127.0.0.1:\(port)/a.jpg?i=\(index)", descriptor: descriptor))
                    guard case .success(let response) = result, response.bytes == image.count else { return nil }
                    return response.httpVersion
                }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(versions.count == count && versions.allSatisfy { $0 == "2" }, "\(versions)")

        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == count)
        #expect(lines.allSatisfy { $0.contains(" HTTP/2.0 ") }, "\(lines.prefix(3))")
        let connections = Set(lines.compactMap { $0.split(separator: " ").first })
        #expect(connections.count == 1, "nginx saw \(connections.count) connections")
    }

    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }
}
