import Foundation

/// Separable Lanczos3 resampling: the kernel and the weights, computed once per output column
/// and per output row. `StreamingResampler` applies them.
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

    /// `image` resampled to `width`×`height`, through the same row-by-row path the decoders feed.
    public static func resize(_ image: PixelBuffer, width: Int, height: Int) -> PixelBuffer {
        guard width != image.width || height != image.height else { return image }
        var resampler = StreamingResampler(
            sourceWidth: image.width, sourceHeight: image.height, channels: image.channels, width: width,
            height: height)
        let stride = image.width * image.channels
        image.pixels.withUnsafeBufferPointer { pixels in
            guard let base = pixels.baseAddress else { return }
            for y in 0..<image.height { resampler.consume(base + y * stride) }
        }
        return resampler.finish()
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

        /// How many taps output `index` has.
        func count(_ index: Int) -> Int { offsets[index + 1] - offsets[index] }
    }
}
