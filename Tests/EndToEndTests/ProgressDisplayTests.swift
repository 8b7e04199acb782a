import Foundation
import TestSupport
import Testing

/// On a terminal, `sync` keeps a live status line (erased before the summary); piped, it prints
/// no control characters at all. The terminal is a real pseudo-terminal, from script(1).
@Suite(.serialized)
struct ProgressDisplayTests {
    @Test func aTerminalGetsALiveLineAndAPipeDoesNot() throws {
        let site = try TestSite("mediamirror-progress", configuration: "thumbnails:\n  widths: [32]\n")
        defer { site.remove() }
        try site.origin.serve(try TestImages.jpeg(width: 64, height: 48), host: "img.test", path: "a.jpg")
        try Data("![a](http://img.test/__/slow/1200?then=/a.jpg)\n".utf8)
            .write(to: site.posts.appendingPathComponent("a.md"))
        let environment = ProcessRunner.environment(proxiedThrough: site.origin)
        let command = "'\(Paths.executable.path)' sync --config '\(site.config.path)'"
        let terminal = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/script"), ["-q", "-e", "-c", command, "/dev/null"], environment: environment)
        #expect(terminal.status == 0, "\(terminal.stdout)")
        #expect(terminal.stdout.contains("\r\u{1B}[Kfetching: 0/1 URLs"), "\(terminal.stdout.debugDescription)")
        #expect(terminal.stdout.contains("\r\u{1B}[Kmediamirror sync"), "the line is erased before the summary")

        try Data("![b](http://img.test/a.jpg)\n".utf8).write(to: site.posts.appendingPathComponent("b.md"))
        let piped = try ProcessRunner.run(
            Paths.executable, ["sync", "--config", site.config.path], environment: environment)
        #expect(piped.status == 0)
        #expect(piped.stdout.contains("mediamirror sync"))
        #expect(!piped.stdout.contains("\r") && !piped.stdout.contains("\u{1B}"))
    }
}
