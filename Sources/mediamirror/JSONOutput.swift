import Foundation

/// One JSON object on standard output, keys sorted so output is stable.
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        Swift.print(text)
    }
}
