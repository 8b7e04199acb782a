/// How much animation a thumbnail may keep (`thumbnails.animated`): at most `maxFrames`
/// frames and `maxTotalPixels` decoded over all of them (each frame counts its whole canvas).
/// An animation over either becomes a still thumbnail of its first frame.
public struct AnimationBudget: Sendable, Equatable {
    public var maxFrames: Int
    public var maxTotalPixels: Int

    public init(maxFrames: Int = 500, maxTotalPixels: Int = 500_000_000) {
        self.maxFrames = maxFrames
        self.maxTotalPixels = maxTotalPixels
    }
}
