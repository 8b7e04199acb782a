import Foundation
import MirrorConfig

/// The commented `mediamirror.yaml` that `mediamirror init` writes beside a site's own
/// configuration: the keys that depend on the site, with what was found; every other key keeps
/// its default (the full list is in config/mediamirror.yaml and the README).
public enum StarterConfiguration {
    public static func text(for layout: SiteLayout) -> String {
        let found = layout.findings.map { "#   \($0)" }.joined(separator: "\n")
        return """
            # mediamirror configuration, written by `mediamirror init`.
            # Found:
            \(found)
            # Relative paths resolve against this file's folder. Every key not written here keeps its
            # default; `mediamirror --help` and the README list them all.

            site:
              # The generator decides the defaults below and how relative image paths are read.
              generator: \(layout.generator.rawValue)
              # The posts, scanned recursively for .md, .markdown, .html and .htm files.
              posts: \(quoted(layout.posts))
              # Where originals and thumbnails are written: a folder the generator copies as it is.
              media: \(quoted(layout.media))
              # How rewritten posts refer to files under `media`.
              url_prefix: \(quoted(layout.urlPrefix))
              # The site's address, to resolve root-relative image paths ("/img/a.png"); empty: they
              # are left alone.
              base_url: \(quoted(layout.baseURL))

            state:
              # The manifest: every URL, file and rewritten value (restore reads it).
              database: .mediamirror/manifest.sqlite

            thumbnails:
              widths: [320, 640]

            rewrite:
              # A lazy-loading <img> whose src is a placeholder gets the local copy as its src.
              fill_placeholder_src: false

            """
    }

    /// A YAML double-quoted scalar.
    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
