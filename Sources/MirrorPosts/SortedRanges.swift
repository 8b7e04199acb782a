/// Sorted, non-overlapping byte ranges (Markdown code, HTML tags), with a logarithmic membership test.
struct SortedRanges {
    private let ranges: [Range<Int>]

    init(_ ranges: [Range<Int>]) {
        self.ranges = ranges.sorted { $0.lowerBound < $1.lowerBound }
    }

    static let none = SortedRanges([])

    func contains(_ offset: Int) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].upperBound <= offset {
                low = middle + 1
            } else if ranges[middle].lowerBound > offset {
                high = middle
            } else {
                return true
            }
        }
        return false
    }
}
