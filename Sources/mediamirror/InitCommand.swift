import ArgumentParser
import Foundation
import MirrorConfig
import MirrorEngine

/// `mediamirror init [DIR]`: recognises the site's generator and writes a `mediamirror.yaml`
/// beside its own configuration.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract:
            "Write a mediamirror.yaml for the site in DIR, its generator (Hexo, Hugo, Jekyll, Eleventy) detected.",
        discussion: """
            Reads the generator's own configuration (Hexo root and source_dir, Hugo baseURL, \
            contentDir and staticDir, Jekyll baseurl), writes DIR/mediamirror.yaml with comments and \
            prints what it chose and the next command. An existing mediamirror.yaml is never \
            overwritten. Exit code 2 when DIR is no site or the file exists.
            """
    )

    @Argument(help: ArgumentHelp("The site's root folder.", valueName: "DIR"))
    var directory = "."

    func run() throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MirrorExit(code: MirrorExit.usage, message: "\(root.path) is not a directory")
        }
        let layout: SiteLayout
        do {
            layout = try SiteDetector.detect(root)
        } catch {
            throw MirrorExit(code: MirrorExit.usage, message: error.message)
        }
        let target = root.appendingPathComponent("mediamirror.yaml")
        do {
            try Data(StarterConfiguration.text(for: layout).utf8).write(to: target, options: .withoutOverwriting)
        } catch CocoaError.fileWriteFileExists {
            throw MirrorExit(
                code: MirrorExit.usage,
                message: "\(target.path) exists and is left as it is (edit it, or remove it first)")
        } catch {
            throw MirrorExit(code: MirrorExit.cannotRun, message: "cannot write \(target.path): \(error)")
        }
        print("\(layout.generator.rawValue) site at \(root.path)")
        for finding in layout.findings { print("  \(finding)") }
        print("  posts: \(layout.posts)")
        print("  media: \(layout.media) (served as \(layout.urlPrefix))")
        print("wrote \(target.path)")
        print("next: mediamirror sync --dry-run --config \(target.path)")
    }
}
