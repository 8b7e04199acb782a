import Foundation

/// Leaves out the AC scans of a progressive JPEG that a reduced-size decode would not read.
///
/// A progressive JPEG sends its DC coefficients first and the AC coefficients in later scans,
/// and an AC scan always holds one component. Decoded at 1/8, a component whose inverse DCT is
/// 1x1 reads its DC coefficient alone, yet libjpeg entropy-decodes every scan: most of a
/// large progressive photo's decode time goes into coefficients that are then ignored. Those
/// scans are dropped here before libjpeg sees the file; the pixels come out identical.
///
/// Only files whose scans bring every component's coefficients 1 to 9 to full precision are
/// filtered: libjpeg's block smoothing (on for the original, off for the filtered stream)
/// acts only when some of those stay incomplete, so with them complete both decodes agree.
///
/// The filter walks the marker structure only (never the entropy-coded data beyond finding
/// where it ends). Anything unexpected, a truncated file among them, returns nil, and the
/// caller decodes the original, so libjpeg reports the damage as usual. Damage inside a
/// dropped scan goes unnoticed: those coefficients are not part of the thumbnail.
enum ProgressiveScanFilter {
    /// The stream without the AC scans of components outside `keepingACOf`, or nil when
    /// nothing can be dropped or the structure is not what a complete progressive JPEG has.
    static func dropACScans(_ bytes: [UInt8], keepingACOf kept: Set<Int>) -> [UInt8]? {
        bytes.withUnsafeBufferPointer { buffer in dropACScans(buffer, keepingACOf: kept) }
    }

    private static func dropACScans(_ bytes: UnsafeBufferPointer<UInt8>, keepingACOf kept: Set<Int>) -> [UInt8]? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4)
        output.append(contentsOf: bytes[0..<2])
        var offset = 2
        var dropped = false
        var sawProgressiveFrame = false
        var frameComponents: [Int] = []
        /// Per component, bit k set when coefficient k (1 to 9) has had its last refinement.
        var refined: [Int: UInt16] = [:]
        while true {
            // A marker, after any number of fill bytes.
            guard offset < bytes.count, bytes[offset] == 0xFF else { return nil }
            while offset < bytes.count && bytes[offset] == 0xFF { offset += 1 }
            guard offset < bytes.count else { return nil }
            let marker = bytes[offset]
            let markerStart = offset - 1
            offset += 1
            switch marker {
            case 0xD9:  // EOI
                let complete: UInt16 = 0b11_1111_1110
                guard dropped, sawProgressiveFrame,
                    frameComponents.allSatisfy({ refined[$0, default: 0] & complete == complete })
                else { return nil }
                output.append(contentsOf: [0xFF, 0xD9])
                return output
            case 0x00, 0x01, 0xD0...0xD8:  // stuffing, TEM, RSTn, SOI: not expected between segments
                return nil
            default:
                break
            }
            guard offset + 2 <= bytes.count else { return nil }
            let length = Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
            guard length >= 2, offset + length <= bytes.count else { return nil }
            let segmentEnd = offset + length
            // Huffman-coded progressive (SOF2) only: the arithmetic-coded and differential kinds
            // are too rare to be worth a second look at what their scans share.
            if marker == 0xC2 {
                // SOF2: P, Y, X, Nf, then Nf × (C, H/V, Tq).
                guard !sawProgressiveFrame, length >= 8 else { return nil }
                let count = Int(bytes[offset + 7])
                guard length == 8 + 3 * count else { return nil }
                frameComponents = (0..<count).map { Int(bytes[offset + 8 + 3 * $0]) }
                sawProgressiveFrame = true
            }
            guard marker == 0xDA else {
                output.append(0xFF)
                output.append(contentsOf: bytes[(markerStart + 1)..<segmentEnd])
                offset = segmentEnd
                continue
            }
            // SOS: Ns, Ns × (Cs, Td/Ta), Ss, Se, Ah/Al; the entropy-coded data follows.
            guard sawProgressiveFrame, length >= 6 else { return nil }
            let componentCount = Int(bytes[offset + 2])
            guard componentCount >= 1, length == 6 + 2 * componentCount else { return nil }
            var components: [Int] = []
            for index in 0..<componentCount { components.append(Int(bytes[offset + 3 + 2 * index])) }
            let spectralStart = bytes[offset + 3 + 2 * componentCount]
            let spectralEnd = bytes[offset + 4 + 2 * componentCount]
            let lowBit = bytes[offset + 5 + 2 * componentCount] & 0x0F
            let first = max(1, Int(spectralStart))
            let last = min(9, Int(spectralEnd))
            if lowBit == 0 && first <= last {
                for coefficient in first...last {
                    for component in components { refined[component, default: 0] |= 1 << coefficient }
                }
            }
            guard let dataEnd = endOfEntropyData(bytes, from: segmentEnd) else { return nil }
            let keep = spectralStart == 0 || components.contains(where: kept.contains)
            if keep {
                output.append(0xFF)
                output.append(contentsOf: bytes[(markerStart + 1)..<dataEnd])
            } else {
                dropped = true
            }
            offset = dataEnd
        }
    }

    /// Where the entropy-coded data starting at `start` ends: the next 0xFF that is neither a
    /// stuffed zero nor a restart marker. Nil when the data runs to the end of the file.
    private static func endOfEntropyData(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = start
        while offset < bytes.count {
            guard let found = memchr(base + offset, 0xFF, bytes.count - offset) else { return nil }
            let position = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            guard position + 1 < bytes.count else { return nil }
            let next = bytes[position + 1]
            if next == 0x00 || (0xD0...0xD7).contains(next) {
                offset = position + 2
            } else {
                return position
            }
        }
        return nil
    }
}
