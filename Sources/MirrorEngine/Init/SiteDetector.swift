import Foundation
import MirrorConfig
import MirrorPosts
import Yams

/// Recognises a static site by the files its generator keeps at the root, and reads what
/// matters from the generator's own configuration: Hexo's `root` and `source_dir`, Hugo's
/// `baseURL`, `contentDir` and `staticDir`, Jekyll's `baseurl`.
public enum SiteDetector {
    public struct NotASite: Error, Sendable {
        public var message: String
    }

    static let hugoConfigurations = [
        "hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json", "config.toml", "config.yaml", "config.yml", "config.json",
    ]
    static let eleventyConfigurations = [
        "eleventy.config.js", "eleventy.config.mjs", "eleventy.config.cjs", "eleventy.config.ts", ".eleventy.js",
    ]

    public static func detect(_ root: URL) throws(NotASite) -> SiteLayout {
        let files = FileManager.default
        func exists(_ name: String, directory: Bool = false) -> Bool {
            var isDirectory: ObjCBool = false
            return files.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isDirectory)
                && isDirectory.boolValue == directory
        }
        if let config = eleventyConfigurations.first(where: { exists($0) }) {
            return eleventy(root, config: config, exists: { exists($0, directory: true) })
        }
        if let config = hugoConfigurations.first(where: { exists($0) }),
            exists("content", directory: true)
                || exists("hugo.toml") || exists("hugo.yaml") || exists("hugo.yml") || exists("hugo.json")
        {
            return hugo(root, config: config)
        }
        if exists("_config.yml"), exists("package.json"), packageNamesHexo(root) {
            return hexo(root)
        }
        if exists("_config.yml") || exists("_config.yaml"), exists("_posts", directory: true) {
            return jekyll(root, config: exists("_config.yml") ? "_config.yml" : "_config.yaml")
        }
        throw NotASite(
            message: "\(root.path) is no site mediamirror knows: no Hexo _config.yml and package.json, "
                + "no Hugo hugo.toml/config.* with content/, no Jekyll _config.yml with _posts/, "
                + "no Eleventy eleventy.config.* or .eleventy.js")
    }

    private static func packageNamesHexo(_ root: URL) -> Bool {
        guard let data = try? Data(contentsOf: root.appendingPathComponent("package.json")) else { return false }
        return String(decoding: data, as: UTF8.self).contains("\"hexo")
    }

    private static func hexo(_ root: URL) -> SiteLayout {
        let config = yamlStrings(root.appendingPathComponent("_config.yml"))
        let source = trimmedPath(config["source_dir"] ?? "source")
        let base = sitePath(config["root"] ?? "/")
        var findings = ["Hexo: _config.yml and package.json (hexo)"]
        findings.append("source_dir: \(source)\(config["source_dir"] == nil ? " (Hexo's default)" : "")")
        findings.append("root: \(base.isEmpty ? "/" : base)\(config["root"] == nil ? " (Hexo's default)" : "")")
        return SiteLayout(
            generator: .hexo, posts: "\(source)/_posts", media: "\(source)/images/mirror",
            urlPrefix: "\(base)/images/mirror", baseURL: config["url"] ?? "", findings: findings)
    }

    private static func hugo(_ root: URL, config name: String) -> SiteLayout {
        let url = root.appendingPathComponent(name)
        let config: [String: String]
        if name.hasSuffix(".toml") {
            config = (try? Data(contentsOf: url)).flatMap { TOMLDocument.topLevelStrings([UInt8]($0)) } ?? [:]
        } else if name.hasSuffix(".json") {
            let object = (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) }
            config = (object as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
        } else {
            config = yamlStrings(url)
        }
        let baseURL = config["baseURL"] ?? config["baseurl"] ?? ""
        let base = sitePath(URLComponents(string: baseURL)?.path ?? "")
        let content = trimmedPath(config["contentDir"] ?? "content")
        let statics = trimmedPath(config["staticDir"] ?? "static")
        var findings = ["Hugo: \(name)"]
        findings.append("baseURL: \(baseURL.isEmpty ? "(none)" : baseURL)")
        findings.append("contentDir: \(content), staticDir: \(statics)")
        findings.append("page bundles: an image path relative to its post stays as it is")
        return SiteLayout(
            generator: .hugo, posts: content, media: "\(statics)/images/mirror", urlPrefix: "\(base)/images/mirror",
            baseURL: baseURL, findings: findings)
    }

    private static func jekyll(_ root: URL, config name: String) -> SiteLayout {
        let config = yamlStrings(root.appendingPathComponent(name))
        let base = sitePath(config["baseurl"] ?? "")
        let site = (config["url"] ?? "").isEmpty ? "" : (config["url"] ?? "") + base
        return SiteLayout(
            generator: .jekyll, posts: "_posts", media: "assets/images/mirror",
            urlPrefix: "\(base)/assets/images/mirror", baseURL: site,
            findings: ["Jekyll: \(name) and _posts/", "baseurl: \(base.isEmpty ? "(none)" : base)"])
    }

    private static func eleventy(_ root: URL, config: String, exists: (String) -> Bool) -> SiteLayout {
        // Eleventy's configuration is code: the usual input folders are looked for instead.
        let posts =
            ["content/blog", "content", "src/posts", "src/blog", "src", "posts", "blog"].first(where: exists) ?? "."
        return SiteLayout(
            generator: .eleventy, posts: posts, media: "public/images/mirror", urlPrefix: "/images/mirror",
            baseURL: "",
            findings: [
                "Eleventy: \(config)", "posts: \(posts) (the first usual input folder found)",
                "media: public/images/mirror — public/ must be copied to the site as it is "
                    + "(eleventy-base-blog's addPassthroughCopy does)",
            ])
    }

    /// The top-level string values of a YAML file (nothing when it does not parse).
    private static func yamlStrings(_ url: URL) -> [String: String] {
        guard let data = try? Data(contentsOf: url),
            let node = try? Yams.compose(yaml: String(decoding: data, as: UTF8.self)), case .mapping(let mapping) = node
        else { return [:] }
        var strings: [String: String] = [:]
        for (key, value) in mapping {
            if let key = key.string, case .scalar(let scalar) = value { strings[key] = scalar.string }
        }
        return strings
    }

    /// A folder name without leading `./` and trailing `/`.
    private static func trimmedPath(_ path: String) -> String {
        var text = Substring(path)
        while text.hasPrefix("./") { text = text.dropFirst(2) }
        while text.count > 1, text.hasSuffix("/") { text = text.dropLast() }
        return String(text)
    }

    /// A site path (`/blog/`) as a prefix without the trailing slash (`/blog`, or "" for `/`).
    private static func sitePath(_ path: String) -> String {
        var text = path.trimmingCharacters(in: .whitespaces)
        while text.hasSuffix("/") { text.removeLast() }
        if !text.isEmpty, !text.hasPrefix("/") { text = "/" + text }
        return text
    }
}
