/// Separable Lanczos3 resampling fed one source row at a time, as a decoder produces them.
///
/// Each incoming row is converted to floats (premultiplied by alpha, so transparent pixels do
/// not bleed their colour), resampled horizontally to the output width, and added with its
/// vertical weight to every output row whose filter window holds it; an output row is written
/// out as soon as its window has passed. Memory is the output, a few rows of the output's
/// width, one converted source row and the filter weights (about six per source column and
/// row): proportional to the source's width and height, never to its area.
struct StreamingResampler {
    let sourceWidth: Int
    let sourceHeight: Int
    let width: Int
    let height: Int
    let channels: Int

    private let columns: Resampler.FlatTaps
    private let rows: Resampler.FlatTaps
    /// Output rows whose windows can overlap at one source row: the accumulators form a ring.
    private let ring: Int
    private var converted: [SIMD4<Float>]
    private var horizontal: [SIMD4<Float>]
    private var accumulators: [SIMD4<Float>]
    private var nextSourceRow = 0
    /// The lowest output row not yet written.
    private var firstOpenRow = 0
    private var output: [UInt8]

    init(sourceWidth: Int, sourceHeight: Int, channels: Int, width: Int, height: Int) {
        precondition(sourceWidth > 0 && sourceHeight > 0 && width > 0 && height > 0, "empty geometry")
        precondition((1...4).contains(channels), "1 to 4 channels")
        self.sourceWidth = sourceWidth
        self.sourceHeight = sourceHeight
        self.width = width
        self.height = height
        self.channels = channels
        columns = Resampler.FlatTaps(inputSize: sourceWidth, outputSize: width)
        rows = Resampler.FlatTaps(inputSize: sourceHeight, outputSize: height)
        var open = [Int](repeating: 0, count: sourceHeight + 1)
        for y in 0..<height {
            open[rows.starts[y]] += 1
            open[rows.starts[y] + rows.count(y)] -= 1
        }
        var running = 0
        var widest = 1
        for count in open {
            running += count
            widest = max(widest, running)
        }
        ring = widest
        converted = [SIMD4<Float>](repeating: .zero, count: sourceWidth)
        horizontal = [SIMD4<Float>](repeating: .zero, count: width)
        accumulators = [SIMD4<Float>](repeating: .zero, count: width * ring)
        output = [UInt8](repeating: 0, count: width * height * channels)
    }

    /// True once every source row has been consumed (and so every output row written).
    var isComplete: Bool { nextSourceRow == sourceHeight }

    /// Adds the next source row: `sourceWidth × channels` bytes.
    mutating func consume(_ row: UnsafePointer<UInt8>) {
        precondition(nextSourceRow < sourceHeight, "more rows than the source has")
        let sourceRow = nextSourceRow
        nextSourceRow += 1
        convert(row)
        resampleHorizontally()
        accumulate(sourceRow)
        while firstOpenRow < height && rows.starts[firstOpenRow] + rows.count(firstOpenRow) - 1 <= sourceRow {
            writeOutputRow(firstOpenRow)
            firstOpenRow += 1
        }
    }

    /// The resampled image; every source row must have been consumed.
    func finish() -> PixelBuffer {
        precondition(isComplete, "rows missing")
        return PixelBuffer(width: width, height: height, channels: channels, pixels: output)
    }

    private mutating func convert(_ row: UnsafePointer<UInt8>) {
        let count = sourceWidth
        let channels = channels
        converted.withUnsafeMutableBufferPointer { converted in
            switch channels {
            case 4:
                for x in 0..<count {
                    let base = row + 4 * x
                    let alpha = Float(base[3])
                    let scale = alpha * (1 / 255)
                    converted[x] = SIMD4(Float(base[0]) * scale, Float(base[1]) * scale, Float(base[2]) * scale, alpha)
                }
            case 3:
                for x in 0..<count {
                    let base = row + 3 * x
                    converted[x] = SIMD4(Float(base[0]), Float(base[1]), Float(base[2]), 0)
                }
            default:
                for x in 0..<count {
                    var value = SIMD4<Float>.zero
                    for channel in 0..<channels { value[channel] = Float(row[channels * x + channel]) }
                    converted[x] = value
                }
            }
        }
    }

    private mutating func resampleHorizontally() {
        let width = width
        converted.withUnsafeBufferPointer { input in
            horizontal.withUnsafeMutableBufferPointer { output in
                columns.starts.withUnsafeBufferPointer { starts in
                    columns.offsets.withUnsafeBufferPointer { offsets in
                        columns.weights.withUnsafeBufferPointer { weights in
                            // Four running sums: one would wait on each multiply-add's latency
                            // (a shrink by 16 has about 100 taps per output pixel).
                            for x in 0..<width {
                                var sum0 = SIMD4<Float>.zero
                                var sum1 = SIMD4<Float>.zero
                                var sum2 = SIMD4<Float>.zero
                                var sum3 = SIMD4<Float>.zero
                                let first = offsets[x]
                                let end = offsets[x + 1]
                                let shift = starts[x] - first
                                var index = first
                                while index + 4 <= end {
                                    sum0 += input[index + shift] * weights[index]
                                    sum1 += input[index + shift + 1] * weights[index + 1]
                                    sum2 += input[index + shift + 2] * weights[index + 2]
                                    sum3 += input[index + shift + 3] * weights[index + 3]
                                    index += 4
                                }
                                while index < end {
                                    sum0 += input[index + shift] * weights[index]
                                    index += 1
                                }
                                output[x] = (sum0 + sum1) + (sum2 + sum3)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Adds the resampled row to each open output row whose window holds it.
    private mutating func accumulate(_ sourceRow: Int) {
        let width = width
        let ring = ring
        var y = firstOpenRow
        while y < height && rows.starts[y] <= sourceRow {
            let position = sourceRow - rows.starts[y]
            if position < rows.count(y) {
                let weight = rows.weights[rows.offsets[y] + position]
                let slot = (y % ring) * width
                horizontal.withUnsafeBufferPointer { row in
                    accumulators.withUnsafeMutableBufferPointer { accumulators in
                        for x in 0..<width { accumulators[slot + x] += row[x] * weight }
                    }
                }
            }
            y += 1
        }
    }

    private mutating func writeOutputRow(_ y: Int) {
        let width = width
        let channels = channels
        let slot = (y % ring) * width
        accumulators.withUnsafeMutableBufferPointer { accumulators in
            output.withUnsafeMutableBufferPointer { output in
                let target = y * width * channels
                switch channels {
                case 4:
                    for x in 0..<width {
                        let value = accumulators[slot + x]
                        let alpha = min(max(value[3], 0), 255)
                        let scale: Float = alpha > 0 ? 255 / alpha : 0
                        output[target + 4 * x] = Self.byte(value[0] * scale)
                        output[target + 4 * x + 1] = Self.byte(value[1] * scale)
                        output[target + 4 * x + 2] = Self.byte(value[2] * scale)
                        output[target + 4 * x + 3] = Self.byte(alpha)
                    }
                case 3:
                    for x in 0..<width {
                        let value = accumulators[slot + x]
                        output[target + 3 * x] = Self.byte(value[0])
                        output[target + 3 * x + 1] = Self.byte(value[1])
                        output[target + 3 * x + 2] = Self.byte(value[2])
                    }
                default:
                    for x in 0..<width {
                        for channel in 0..<channels {
                            output[target + channels * x + channel] = Self.byte(accumulators[slot + x][channel])
                        }
                    }
                }
                for x in 0..<width { accumulators[slot + x] = .zero }
            }
        }
    }

    /// Clamps to 0...255 and rounds half up; NaN, never expected, becomes 0 rather than a trap.
    @inline(__always)
    private static func byte(_ value: Float) -> UInt8 {
        let clamped: Float = value > 0 ? (value < 255 ? value : 255) : 0
        return UInt8(clamped + 0.5)
    }
}
