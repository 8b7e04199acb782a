/// What the headers of an image say, without decoding pixels.
public struct ImageProbe: Sendable, Equatable, Codable {
    public var format: ImageFormat
    /// Size as stored in the file.
    public var width: Int
    public var height: Int
    /// EXIF orientation, 1 to 8 (1 when absent).
    public var orientation: Int
    /// Number of frames (animations), 1 for still images.
    public var frames: Int

    public init(format: ImageFormat, width: Int, height: Int, orientation: Int = 1, frames: Int = 1) {
        self.format = format
        self.width = width
        self.height = height
        self.orientation = orientation
        self.frames = frames
    }

    /// Orientations 5 to 8 swap width and height when displayed.
    public var swapsAxes: Bool { (5...8).contains(orientation) }

    /// The size a browser displays, after EXIF orientation.
    public var displayedWidth: Int { swapsAxes ? height : width }
    public var displayedHeight: Int { swapsAxes ? width : height }
}
