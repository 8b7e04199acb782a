/// An encoded thumbnail.
public struct Thumbnail: Sendable {
    public var width: Int
    public var height: Int
    public var format: ImageFormat
    public var bytes: [UInt8]

    public init(width: Int, height: Int, format: ImageFormat, bytes: [UInt8]) {
        self.width = width
        self.height = height
        self.format = format
        self.bytes = bytes
    }
}
