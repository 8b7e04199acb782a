import Foundation

/// Just enough XML reading to find the root `<svg>` element's size; SVG is never rendered.
enum SVGRootReader {
    static func svgRoot(_ bytes: [UInt8]) -> (width: Int?, height: Int?, viewBox: (Int, Int)?) {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        guard let open = text.range(of: "<svg") else { return (nil, nil, nil) }
        let tag = text[open.upperBound...].prefix { $0 != ">" }
        func attribute(_ name: String) -> String? {
            for quote in ["\"", "'"] {
                if let start = tag.range(of: " \(name)=\(quote)") ?? tag.range(of: "\n\(name)=\(quote)") {
                    return String(tag[start.upperBound...].prefix { String($0) != quote })
                }
            }
            return nil
        }
        func length(_ value: String?) -> Int? {
            guard var value else { return nil }
            if value.hasSuffix("px") { value.removeLast(2) }
            return Double(value).map { Int($0.rounded()) }
        }
        var viewBox: (Int, Int)?
        if let box = attribute("viewBox") {
            let parts = box.split { $0 == " " || $0 == "," }.compactMap { Double($0) }
            if parts.count == 4 { viewBox = (Int(parts[2].rounded()), Int(parts[3].rounded())) }
        }
        return (length(attribute("width")), length(attribute("height")), viewBox)
    }
}
