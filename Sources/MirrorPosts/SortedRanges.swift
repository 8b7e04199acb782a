/// Sorted, non-overlapping byte ranges (Markdown code, HTML tags), with a logarithmic membership test.
struct SortedRanges {
    private let ranges: [Range<Int>]

    init(_ ranges: [Range<Int>]) {
        self.ranges = ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// Ranges that may overlap or touch, coalesced.
    init(merging ranges: [Range<Int>]) {
        var merged: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = merged.last, range.lowerBound <= last.upperBound {
                merged[merged.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    static let none = SortedRanges([])

    var all: [Range<Int>] { ranges }

    var isEmpty: Bool { ranges.isEmpty }

    func contains(_ offset: Int) -> Bool {
        end(ofRangeContaining: offset) != nil
    }

    /// The end of the range holding `offset`, nil when none does.
    func end(ofRangeContaining offset: Int) -> Int? {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound <= offset {
                low = middle + 1
            } else if ranges[middle].lowerBound > offset {
                high = middle
            } else {
                return ranges[middle].upperBound
            }
        }
        return nil
    }
}
