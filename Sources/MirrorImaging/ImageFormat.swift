import Foundation

/// An image format recognised from its first bytes (never from a URL or a Content-Type).
public enum ImageFormat: String, Sendable, Codable, CaseIterable {
    case jpeg, png, gif, webp, bmp, avif, heif, svg, tiff, ico

    /// The extension stored files get.
    public var fileExtension: String {
        switch self {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .gif: return "gif"
        case .webp: return "webp"
        case .bmp: return "bmp"
        case .avif: return "avif"
        case .heif: return "heic"
        case .svg: return "svg"
        case .tiff: return "tif"
        case .ico: return "ico"
        }
    }

    /// The `Content-Type` of a stored file, from the extension the store gave it.
    public static func mediaType(ofPath path: String) -> String {
        let dot = path.lastIndex(of: ".").map { path.index(after: $0) } ?? path.endIndex
        switch path[dot...].lowercased() {
        case "jpg", "jpeg": return "image/jpeg"
        case "png": return "image/png"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "svg": return "image/svg+xml"
        case "bmp": return "image/bmp"
        case "tif": return "image/tiff"
        case "ico": return "image/x-icon"
        case "heic": return "image/heic"
        default: return "application/octet-stream"
        }
    }

    /// Recognises an image by magic bytes. HTML error pages, JSON and empty bodies are nil.
    public static func sniff<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        let head = Array(bytes.prefix(64))
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + prefix.count && Array(head[offset..<(offset + prefix.count)]) == prefix
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts(Array("BM".utf8)), head.count >= 26 { return .bmp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts([0x00, 0x00, 0x01, 0x00]), head.count >= 22 { return .ico }
        if starts(Array("ftyp".utf8), at: 4), head.count >= 12 {
            let brand = String(decoding: head[8..<12], as: UTF8.self)
            if brand == "avif" || brand == "avis" { return .avif }
            if ["heic", "heix", "hevc", "hevx", "mif1", "msf1", "heim", "heis"].contains(brand) { return .heif }
        }
        if isSVG(bytes) { return .svg }
        return nil
    }

    private static func isSVG<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        let text = String(decoding: bytes.prefix(1024), as: UTF8.self).lowercased()
        guard let svg = text.range(of: "<svg") else { return false }
        // An HTML page that embeds an SVG icon is still an HTML page.
        return !text[..<svg.lowerBound].contains("<html") && !text[..<svg.lowerBound].contains("<!doctype html")
    }
}
