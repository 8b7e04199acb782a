import ArgumentParser
import Foundation
import MirrorConfig
import MirrorFetch

/// `mediamirror health`: asks the running daemon, for scripts and monitoring.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Ask the running daemon whether it is healthy; exit 0 if it is, 1 if not.",
        discussion: """
            Queries /healthz (and /readyz with --ready) at health.listen. Prints the answer, or
            the /status document with --json.
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Also require readiness (first pass done, media directory writable, disk not full).")
    var ready = false

    @Flag(name: .long, help: "Print the daemon's /status document (JSON).")
    var json = false

    @Option(name: .long, help: "Seconds to wait for an answer.")
    var timeout = 5

    func run() async throws {
        let configuration = try await global.loadConfiguration()
        var listen = configuration.health.listen
        if listen.hasPrefix("0.0.0.0:") { listen = "127.0.0.1" + listen.dropFirst("0.0.0.0".count) }
        let base = "http://\(listen)"
        // The token, when the daemon asks for one, from the file the configuration names.
        let headers =
            configuration.health.tokenFile.flatMap { FileManager.default.contents(atPath: $0) }.map {
                [
                    "Authorization: Bearer "
                        + String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                ]
            } ?? []
        var healthy = true
        for path in ready ? ["/healthz", "/readyz"] : ["/healthz"] {
            switch LocalHTTPGet.get(base + path, timeoutSeconds: timeout, headers: headers) {
            case .success(let response):
                let text = String(decoding: response.body, as: UTF8.self).trimmingCharacters(
                    in: .whitespacesAndNewlines)
                if !json { print("\(path): \(response.status) \(text)") }
                if response.status != 200 { healthy = false }
            case .failure(let failure):
                if !json { print("\(path): no answer from \(base) (\(failure.message))") }
                healthy = false
            }
        }
        if json {
            switch LocalHTTPGet.get(base + "/status", timeoutSeconds: timeout, headers: headers) {
            case .success(let response) where response.status == 200:
                print(String(decoding: response.body, as: UTF8.self), terminator: "")
            case .success(let response):
                print("{\"error\": \"status answered HTTP \(response.status)\"}")
                healthy = false
            case .failure(let failure):
                let message = failure.message.replacingOccurrences(of: "\"", with: "'")
                print("{\"error\": \"no answer from \(base): \(message)\"}")
                healthy = false
            }
        }
        if !healthy { throw MirrorExit(code: MirrorExit.someFailed, message: nil) }
    }
}
