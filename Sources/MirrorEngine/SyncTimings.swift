/// Where a pass spent its time, in seconds. `settle` is the wall time from the first download
/// to the last settled URL; downloads, image work and the rewrites of settled posts overlap in
/// it. `images` adds up the time the image threads spent (probe, thumbnails, publishing), which
/// can exceed `settle` with several threads. `rewrite` adds up the time spent rewriting posts.
public struct SyncTimings: Sendable, Codable, Equatable {
    public var scan = 0.0
    public var settle = 0.0
    public var images = 0.0
    public var rewrite = 0.0

    public init() {}
}
