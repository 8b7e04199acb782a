extension Report {
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
        /// The stored original (an entry of `assets`), nil if none.
        @NullWhenAbsent public var sha256: String?

        enum CodingKeys: String, CodingKey {
            case post, place, kind, line, url, declared, actual, verdict, sha256
            case originalValue = "original_value"
            case localValue = "local_value"
        }
    }
}
