/// Maps byte offsets to 1-based line numbers.
struct LineIndex {
    private let lineStarts: [Int]

    /// Indexes the lines that start before `limit`.
    init(_ bytes: [UInt8], upTo limit: Int) {
        var starts = [0]
        var start = 0
        while let newline = ByteSearch.firstIndex(
            of: UInt8(ascii: "\n"), in: bytes, from: start, to: min(limit, bytes.count))
        {
            starts.append(newline + 1)
            start = newline + 1
        }
        lineStarts = starts
    }

    func line(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count
        while low + 1 < high {
            let middle = (low + high) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle }
        }
        return low + 1
    }

    /// Byte offset where a 1-based line starts, if the text has that line.
    func start(ofLine line: Int) -> Int? {
        line >= 1 && line <= lineStarts.count ? lineStarts[line - 1] : nil
    }
}
