/// What `mediamirror report --json` prints: a stable shape scripts and tests consume.
public struct Report: Sendable, Codable, Equatable {
    public struct Reference: Sendable, Codable, Equatable {
        public var post: String
        public var place: String
        public var kind: String
        public var line: Int
        public var originalValue: String
        @NullWhenAbsent public var url: String?
        /// What the post holds now, nil while it still points at the original.
        @NullWhenAbsent public var localValue: String?
        /// Declared `[width, height]`, nil when undeclared.
        @NullWhenAbsent public var declared: [Int]?
        /// Displayed `[width, height]` of the mirrored image (after EXIF orientation), nil if none.
        @NullWhenAbsent public var actual: [Int]?
        /// `match`, `scaled`, `mismatch`, `undeclared`, or nil when no image is known.
        @NullWhenAbsent public var verdict: String?

        enum CodingKeys: String, CodingKey {
            case post, place, kind, line, url, declared, actual, verdict
            case originalValue = "original_value"
            case localValue = "local_value"
        }
    }

    public struct Thumbnail: Sendable, Codable, Equatable {
        public var width: Int
        public var height: Int
        public var path: String
    }

    public struct Asset: Sendable, Codable, Equatable {
        public var sha256: String
        /// Absolute path of the stored original.
        public var path: String
        public var type: String
        public var bytes: Int
        /// Size as stored in the file.
        public var width: Int
        public var height: Int
        public var orientation: Int
        public var displayedWidth: Int
        public var displayedHeight: Int
        public var thumbnails: [Thumbnail]

        enum CodingKeys: String, CodingKey {
            case sha256, path, type, bytes, width, height, orientation, thumbnails
            case displayedWidth = "displayed_width"
            case displayedHeight = "displayed_height"
        }
    }

    public struct Failure: Sendable, Codable, Equatable {
        public var url: String
        public var host: String
        public var `class`: String
        public var message: String
        public var attempts: Int
        @NullWhenAbsent public var httpStatus: Int?

        enum CodingKeys: String, CodingKey {
            case url, host, `class`, message, attempts
            case httpStatus = "http_status"
        }
    }

    public struct Gone: Sendable, Codable, Equatable {
        public var url: String
        public var since: Double
        public var sha256: String?
    }

    public struct Totals: Sendable, Codable, Equatable {
        public var posts = 0
        public var references = 0
        public var local = 0
        public var assets = 0
        public var assetBytes = 0
        public var thumbnails = 0
        public var failures = 0
        public var verdicts: [String: Int] = [:]

        enum CodingKeys: String, CodingKey {
            case posts, references, local, assets, thumbnails, failures, verdicts
            case assetBytes = "asset_bytes"
        }
    }

    public var references: [Reference]
    public var assets: [Asset]
    public var failures: [Failure]
    public var gone: [Gone]
    public var totals: Totals
}
