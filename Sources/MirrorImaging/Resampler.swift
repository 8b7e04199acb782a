import Foundation

/// Separable Lanczos3 resampling: the kernel and the weights, computed once per output column
/// and per output row. `StreamingResampler` applies them.
public enum Resampler {
    static let support: Double = 3

    static func lanczos3(_ x: Double) -> Double {
        if x == 0 { return 1 }
        if x <= -support || x >= support { return 0 }
        let pix = Double.pi * x
        return support * sin(pix) * sin(pix / support) / (pix * pix)
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

        /// Taps for resampling `inputSize` samples to `outputSize`, widened by the scale when
        /// shrinking so the filter also band-limits (no aliasing); each output's weights sum to 1.
        init(inputSize: Int, outputSize: Int) {
            let scale = Double(inputSize) / Double(outputSize)
            let filterScale = max(scale, 1)
            let radius = support * filterScale
            starts.reserveCapacity(outputSize)
            offsets.reserveCapacity(outputSize + 1)
            var raw: [Double] = []
            for output in 0..<outputSize {
                let center = (Double(output) + 0.5) * scale
                let first = max(0, Int((center - radius).rounded(.down)))
                let last = min(inputSize - 1, Int((center + radius).rounded(.up)))
                raw.removeAll(keepingCapacity: true)
                for input in first...max(first, last) {
                    raw.append(lanczos3((Double(input) + 0.5 - center) / filterScale))
                }
                let total = raw.reduce(0, +)
                starts.append(first)
                weights += raw.map { Float(total == 0 ? 0 : $0 / total) }
                offsets.append(weights.count)
            }
        }

        /// How many taps output `index` has.
        func count(_ index: Int) -> Int { offsets[index + 1] - offsets[index] }
    }
}
