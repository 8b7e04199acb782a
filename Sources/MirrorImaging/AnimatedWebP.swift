internal import CCodecShims

/// Animated WebP thumbnails of an animated GIF or WebP: each composited frame, streamed from
/// the decoder, is resampled to every size and added to one WebPAnimEncoder per size, so one
/// canvas and the encoders' state are in memory, never the frames.
enum AnimatedWebP {
    /// What the frame callback works with; reached through the context pointer.
    private final class Work {
        let sizes: [(width: Int, height: Int)]
        var encoders: [OpaquePointer?] = []
        var failure: ImagingError?

        init(sizes: [(width: Int, height: Int)]) {
            self.sizes = sizes
        }

        func add(_ rgba: UnsafePointer<UInt8>, width: Int, height: Int, duration: Int) -> Int32 {
            for (index, size) in sizes.enumerated() {
                var resampler = StreamingResampler(
                    sourceWidth: width, sourceHeight: height, channels: 4, width: size.width, height: size.height)
                for row in 0..<height { resampler.consume(rgba + row * width * 4) }
                let frame = resampler.finish()
                var message = ShimMessage()
                let status = frame.pixels.withUnsafeBufferPointer { pixels in
                    message.withBuffer { text in
                        mm_webp_animation_add(encoders[index], pixels.baseAddress, Int32(duration), text)
                    }
                }
                if let error = ImagingError.fromShim(status, message: message.text) {
                    failure = error
                    return 1
                }
            }
            return 0
        }
    }

    /// One animated WebP per size, or nil when the animation is over `budget` (the caller makes
    /// still thumbnails instead).
    static func thumbnails(
        of data: [UInt8], format: ImageFormat, sizes: [(width: Int, height: Int)], quality: Int, maxPixels: Int,
        budget: AnimationBudget
    ) throws(ImagingError) -> [Thumbnail]? {
        let work = Work(sizes: sizes)
        defer { work.encoders.forEach { mm_webp_animation_free($0) } }
        for size in sizes {
            guard let encoder = mm_webp_animation_new(Int32(size.width), Int32(size.height), Int32(quality)) else {
                throw .outOfMemory("an animated WebP encoder")
            }
            work.encoders.append(encoder)
        }
        var limits = mm_anim_limits(
            max_pixels: UInt64(max(maxPixels, 0)), max_frames: Int32(clamping: budget.maxFrames),
            max_total_pixels: UInt64(max(budget.maxTotalPixels, 0)))
        let callback: mm_frame_callback = { rgba, width, height, duration, context in
            guard let rgba, let context else { return 1 }
            let work = Unmanaged<Work>.fromOpaque(context).takeUnretainedValue()
            return work.add(rgba, width: Int(width), height: Int(height), duration: Int(duration))
        }
        var message = ShimMessage()
        let context = Unmanaged.passUnretained(work).toOpaque()
        let status = data.withUnsafeBufferPointer { bytes in
            message.withBuffer { text in
                format == .gif
                    ? mm_gif_frames(bytes.baseAddress, bytes.count, &limits, callback, context, text)
                    : mm_webp_frames(bytes.baseAddress, bytes.count, &limits, callback, context, text)
            }
        }
        if let failure = work.failure { throw failure }
        if status == 3 { return nil }  // MM_ERR_TOO_LARGE: over the budget
        if let error = ImagingError.fromShim(status, message: message.text) { throw error }
        var made: [Thumbnail] = []
        for (index, size) in sizes.enumerated() {
            var output: UnsafeMutablePointer<UInt8>?
            var count = 0
            var finish = ShimMessage()
            let status = finish.withBuffer { text in
                mm_webp_animation_finish(work.encoders[index], &output, &count, text)
            }
            defer { mm_free(output) }
            if let error = ImagingError.fromShim(status, message: finish.text) { throw error }
            guard let output else { throw .corrupt("the animated WebP encoder returned no data") }
            made.append(
                Thumbnail(
                    width: size.width, height: size.height, format: .webp,
                    bytes: Array(UnsafeBufferPointer(start: output, count: count))))
        }
        return made
    }
}
