/// Applies byte-range edits to a post; every other byte is copied as it is.
public enum PostRewriter {
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case overlapping(Range<Int>, Range<Int>)
        case outOfBounds(Range<Int>)
        case unexpectedBytes(Range<Int>)

        public var description: String {
            switch self {
            case .overlapping(let a, let b): return "edits \(a) and \(b) overlap"
            case .outOfBounds(let range): return "edit \(range) is outside the post"
            case .unexpectedBytes(let range): return "bytes at \(range) are not what the scan saw"
            }
        }
    }

    public static func apply(_ edits: [PostEdit], to bytes: [UInt8]) throws(Failure) -> [UInt8] {
        // Several references can share one value (reference-style Markdown images share their
        // definition): identical edits collapse into one.
        var unique: [PostEdit] = []
        var seen: Set<PostEdit> = []
        for edit in edits where seen.insert(edit).inserted { unique.append(edit) }
        let sorted = unique.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + sorted.reduce(0) { $0 + $1.replacement.count })
        var cursor = 0
        var previous: Range<Int>?
        for edit in sorted {
            guard edit.range.lowerBound >= 0, edit.range.upperBound <= bytes.count else {
                throw .outOfBounds(edit.range)
            }
            if let previous, previous.upperBound > edit.range.lowerBound { throw .overlapping(previous, edit.range) }
            guard bytes[edit.range].elementsEqual(edit.expected) else { throw .unexpectedBytes(edit.range) }
            output.append(contentsOf: bytes[cursor..<edit.range.lowerBound])
            output.append(contentsOf: edit.replacement)
            cursor = edit.range.upperBound
            previous = edit.range
        }
        output.append(contentsOf: bytes[cursor...])
        return output
    }
}
