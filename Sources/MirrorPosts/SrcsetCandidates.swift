/// Splits a `srcset` value into its candidates' URL byte ranges (the HTML "parse a srcset
/// attribute" algorithm: a URL is a run of non-whitespace; descriptors follow up to a comma).
enum SrcsetCandidates {
    static func urlRanges(in bytes: [UInt8], range: Range<Int>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            while index < end, HTMLTokenizer.isWhitespace(bytes[index]) || bytes[index] == UInt8(ascii: ",") {
                index += 1
            }
            guard index < end else { break }
            let urlStart = index
            while index < end, !HTMLTokenizer.isWhitespace(bytes[index]) { index += 1 }
            var urlEnd = index
            // A URL ending in commas: the commas separate candidates.
            var endedWithComma = false
            while urlEnd > urlStart, bytes[urlEnd - 1] == UInt8(ascii: ",") {
                urlEnd -= 1
                endedWithComma = true
            }
            if urlEnd > urlStart { result.append(urlStart..<urlEnd) }
            if endedWithComma { continue }
            // Skip descriptors up to the next comma outside parentheses.
            var depth = 0
            while index < end {
                let byte = bytes[index]
                if byte == UInt8(ascii: "(") { depth += 1 }
                if byte == UInt8(ascii: ")") { depth = max(0, depth - 1) }
                if byte == UInt8(ascii: ","), depth == 0 { break }
                index += 1
            }
        }
        return result
    }
}
