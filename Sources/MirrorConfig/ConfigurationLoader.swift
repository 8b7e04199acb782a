import Configuration
import Foundation
import SystemPackage
import Yams

/// Reads `mediamirror.yaml` through swift-configuration, with `MEDIAMIRROR_…` environment
/// variables layered on top, validates every value and resolves relative paths against the
/// file's directory.
public struct ConfigurationLoader: Sendable {
    public static let environmentPrefix = "MEDIAMIRROR_"

    private let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func load(path: String) async throws -> MirrorConfiguration {
        let absolutePath = Self.absolute(path, relativeTo: FileManager.default.currentDirectoryPath)
        let text: String
        do {
            text = try String(contentsOfFile: absolutePath, encoding: .utf8)
        } catch {
            throw ConfigurationError(key: nil, reason: "cannot read the file (\(Self.reason(of: error)))", file: path)
        }
        let presentInFile = try Self.keysPresent(inYAML: text, file: path)
        let overrides = environmentOverrides()

        let reader: ConfigReader
        do {
            let environmentProvider = EnvironmentVariablesProvider(environmentVariables: overrides)
            // An empty file (or one of comments only) means "all defaults"; the YAML provider
            // wants a top-level mapping, so it only reads files that have keys.
            let fileProvider: any ConfigProvider =
                presentInFile.isEmpty
                ? InMemoryProvider(values: [:])
                : try await FileProvider<YAMLSnapshot>(filePath: FilePath(absolutePath))
            reader = ConfigReader(providers: [environmentProvider, fileProvider])
        } catch {
            throw ConfigurationError(key: nil, reason: "not valid YAML (\(error))", file: path)
        }
        let values = ConfigurationValues(
            reader: reader,
            present: presentInFile.union(overridden(overrides)),
            file: path
        )
        let directory = (absolutePath as NSString).deletingLastPathComponent
        return try Self.build(from: values, directory: directory, sourcePath: absolutePath)
    }

    /// Builds a configuration from the values; split out so every rule reads in one place.
    static func build(
        from values: ConfigurationValues, directory: String, sourcePath: String?
    ) throws -> MirrorConfiguration {
        // Section by section, in the file's order: the first error reported is the first one
        // a reader of the file meets.
        let reader = SettingsReader(values: values, directory: directory)
        let site = try reader.site()
        let state = StateSettings(database: try reader.path("state.database", default: ".mediamirror/manifest.sqlite"))
        let scan = try reader.scan()
        let fetch = try reader.fetch()
        let thumbnails = try reader.thumbnails()
        let rewrite = try reader.rewrite(widths: thumbnails.widths)
        return MirrorConfiguration(
            site: site, state: state, scan: scan, fetch: fetch, thumbnails: thumbnails, rewrite: rewrite,
            health: try reader.health(), daemon: try reader.daemon(), rescue: try reader.rescue(),
            storage: try reader.storage(), sourcePath: sourcePath)
    }

    /// `MEDIAMIRROR_FETCH_CONCURRENCY=4` becomes `FETCH_CONCURRENCY=4`, which the environment
    /// provider maps to `fetch.concurrency`. Only prefixed variables are seen, so generic names
    /// such as `HTTP_HOST` cannot leak in.
    private func environmentOverrides() -> [String: String] {
        var result: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix(Self.environmentPrefix) {
            result[String(name.dropFirst(Self.environmentPrefix.count))] = value
        }
        return result
    }

    private func overridden(_ overrides: [String: String]) -> Set<String> {
        Set(
            ConfigurationKey.all.compactMap { key in
                overrides[String(key.environmentName.dropFirst(Self.environmentPrefix.count))] != nil ? key.path : nil
            }
        )
    }

    /// Walks the YAML tree: every leaf must be a known key, every section a mapping.
    static func keysPresent(inYAML text: String, file: String) throws -> Set<String> {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw ConfigurationError(key: nil, reason: "not valid YAML (\(error))", file: file)
        }
        guard let root else { return [] }
        guard case .mapping(let sections) = root else {
            throw ConfigurationError(key: nil, reason: "the top level must be a mapping of sections", file: file)
        }
        let known = Dictionary(uniqueKeysWithValues: ConfigurationKey.all.map { ($0.path, $0) })
        let knownSections = Set(ConfigurationKey.all.map { String($0.path.split(separator: ".")[0]) })
        var present: Set<String> = []
        for (sectionNode, body) in sections {
            let section = sectionNode.string ?? "\(sectionNode)"
            guard knownSections.contains(section) else {
                throw ConfigurationError(key: section, reason: "unknown section", file: file)
            }
            if case .scalar(let scalar) = body, scalar.string.isEmpty || scalar.string == "~" || scalar.string == "null"
            {
                continue
            }
            guard case .mapping(let entries) = body else {
                throw ConfigurationError(key: section, reason: "must be a mapping of keys", file: file)
            }
            try checkEntries(entries, under: section, known: known, file: file, present: &present)
        }
        return present
    }

    /// The keys of one mapping (a section, or a group inside one such as `storage.s3`): each must
    /// be known and of its type; a known group's mapping is checked the same way.
    private static func checkEntries(
        _ entries: Node.Mapping, under prefix: String, known: [String: ConfigurationKey], file: String,
        present: inout Set<String>
    ) throws {
        for (keyNode, value) in entries {
            let path = "\(prefix).\(keyNode.string ?? "\(keyNode)")"
            guard let key = known[path] else {
                if case .mapping(let group) = value, known.keys.contains(where: { $0.hasPrefix(path + ".") }) {
                    try checkEntries(group, under: path, known: known, file: file, present: &present)
                    continue
                }
                throw ConfigurationError(key: path, reason: "unknown key", file: file)
            }
            switch (key.type, value) {
            case (.stringList, .sequence), (.integerList, .sequence), (.string, .scalar), (.integer, .scalar),
                (.boolean, .scalar):
                break
            default:
                throw ConfigurationError(key: path, reason: "must be a \(key.type.rawValue)", file: file)
            }
            present.insert(path)
        }
    }

    static func absolute(_ path: String, relativeTo directory: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let joined = expanded.hasPrefix("/") ? expanded : (directory as NSString).appendingPathComponent(expanded)
        return (joined as NSString).standardizingPath
    }

    private static func reason(of error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
