import Foundation

/// Separable Lanczos3 resampling. Weights are computed once per output column and per output
/// row; each pass reads a row at a time. Alpha is premultiplied while filtering so transparent
/// pixels do not bleed their colour into the edges.
public enum Resampler {
    /// Filter taps for one output position.
    struct Taps {
        var start: Int
        var weights: [Float]
    }

    static let support: Double = 3

    static func lanczos3(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if x <= -support || x >= support { return 0 }
        let pix = Double.pi * x
        return support * sin(pix) * sin(pix / support) / (pix * pix)
    }

    /// Taps for resampling `inputSize` samples to `outputSize`, widened by the scale when
    /// shrinking so the filter also band-limits (no aliasing).
    static func taps(inputSize: Int, outputSize: Int) -> [Taps] {
        let scale = Double(inputSize) / Double(outputSize)
        let filterScale = max(scale, 1)
        let radius = support * filterScale
        return (0..<outputSize).map { output in
            let center = (Double(output) + 0.5) * scale
            let first = max(0, Int((center - radius).rounded(.down)))
            let last = min(inputSize - 1, Int((center + radius).rounded(.up)))
            var weights: [Double] = []
            weights.reserveCapacity(last - first + 1)
            for input in first...max(first, last) {
                weights.append(lanczos3((Double(input) + 0.5 - center) / filterScale))
            }
            let total = weights.reduce(0, +)
            let normalized = weights.map { Float(total == 0 ? 0 : $0 / total) }
            return Taps(start: first, weights: normalized)
        }
    }

    public static func resize(_ image: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        guard width != image.width || height != image.height else { return image }
        let channels = image.channels
        let alpha = channels == 4
        // Horizontal pass, one source row at a time: the row is converted to (premultiplied)
        // floats, one SIMD4 per pixel (unused lanes zero), in a buffer of its own, so no
        // full-size float copy of the image is ever held and each tap is one vector multiply-add.
        let columnTaps = FlatTaps(taps(inputSize: image.width, outputSize: width))
        var horizontal = [Float](repeating: 0, count: width * image.height * channels)
        var row = [SIMD4<Float>](repeating: .zero, count: image.width)
        image.pixels.withUnsafeBufferPointer { pixels in
            horizontal.withUnsafeMutableBufferPointer { output in
                row.withUnsafeMutableBufferPointer { input in
                    columnTaps.weights.withUnsafeBufferPointer { weights in
                        for y in 0..<image.height {
                            let sourceRow = y * image.width * channels
                            for x in 0..<image.width {
                                let base = sourceRow + x * channels
                                switch channels {
                                case 4:
                                    let a = Float(pixels[base + 3])
                                    let scale = a / 255
                                    input[x] = SIMD4(
                                        Float(pixels[base]) * scale, Float(pixels[base + 1]) * scale,
                                        Float(pixels[base + 2]) * scale, a)
                                case 3:
                                    input[x] = SIMD4(
                                        Float(pixels[base]), Float(pixels[base + 1]), Float(pixels[base + 2]), 0)
                                default:
                                    var value = SIMD4<Float>.zero
                                    for channel in 0..<min(channels, 4) {
                                        value[channel] = Float(pixels[base + channel])
                                    }
                                    input[x] = value
                                }
                            }
                            let outputRow = y * width * channels
                            for x in 0..<width {
                                var sum = SIMD4<Float>.zero
                                var source = columnTaps.starts[x]
                                for index in columnTaps.offsets[x]..<columnTaps.offsets[x + 1] {
                                    sum += input[source] * weights[index]
                                    source += 1
                                }
                                let target = outputRow + x * channels
                                for channel in 0..<min(channels, 4) { output[target + channel] = sum[channel] }
                            }
                        }
                    }
                }
            }
        }
        // Vertical pass.
        let rowTaps = taps(inputSize: image.height, outputSize: height)
        var result = [UInt8](repeating: 0, count: width * height * channels)
        let stride = width * channels
        horizontal.withUnsafeBufferPointer { input in
            result.withUnsafeMutableBufferPointer { output in
                var accumulator = [Float](repeating: 0, count: stride)
                for y in 0..<height {
                    let tap = rowTaps[y]
                    for index in 0..<stride { accumulator[index] = 0 }
                    for (row, weight) in tap.weights.enumerated() {
                        let inputRow = (tap.start + row) * stride
                        for index in 0..<stride { accumulator[index] += input[inputRow + index] * weight }
                    }
                    let outputRow = y * stride
                    for x in 0..<width {
                        let base = x * channels
                        if alpha {
                            let a = min(max(accumulator[base + 3], 0), 255)
                            let scale: Float = a > 0 ? 255 / a : 0
                            for channel in 0..<3 {
                                output[outputRow + base + channel] = clamp(accumulator[base + channel] * scale)
                            }
                            output[outputRow + base + 3] = clamp(a)
                        } else {
                            for channel in 0..<channels {
                                output[outputRow + base + channel] = clamp(accumulator[base + channel])
                            }
                        }
                    }
                }
            }
        }
        return PixelBuffer(width: width, height: height, channels: channels, pixels: result)
    }

    /// Every output position's taps in one array: weights of output `i` are
    /// `weights[offsets[i]..<offsets[i + 1]]`, applied from input `starts[i]`.
    struct FlatTaps {
        var starts: [Int] = []
        var offsets: [Int] = [0]
        var weights: [Float] = []

        init(_ taps: [Taps]) {
            for tap in taps {
                starts.append(tap.start)
                weights += tap.weights
                offsets.append(weights.count)
            }
        }
    }

    @inline(__always)
    static func clamp(_ value: Float) -> UInt8 {
        UInt8(min(max(value.rounded(), 0), 255))
    }
}
