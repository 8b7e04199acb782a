/// Plans the edits that put original values back into a rewritten post.
public enum PostRestorer {
    /// What was written at one place, and what stood there before.
    public struct Original: Sendable, Hashable {
        public var localValue: String
        public var originalValue: String

        public init(localValue: String, originalValue: String) {
            self.localValue = localValue
            self.originalValue = originalValue
        }
    }

    /// Edits restoring every place (keyed by `ReferencePlace.description`) that still holds the
    /// value mediamirror wrote. A place someone has edited since is left alone.
    public static func edits(for references: [ImageReference], originals: [String: Original]) -> [PostEdit] {
        references.compactMap { reference in
            guard let original = originals[reference.place.description], reference.rawValue == original.localValue,
                original.originalValue != original.localValue
            else { return nil }
            return PostEdit(
                range: reference.valueRange, expected: Array(reference.rawValue.utf8),
                replacement: Array(original.originalValue.utf8))
        }
    }
}
