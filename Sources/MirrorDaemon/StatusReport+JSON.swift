import Foundation

extension StatusReport {
    /// The one encoding of `/status`: snake_case keys from the Swift names (so no type of the
    /// document spells its keys twice), ISO 8601 dates, sorted keys for a stable document.
    static func jsonEncoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { encoder.outputFormatting.insert(.prettyPrinted) }
        return encoder
    }

    /// Reads what `jsonEncoder` writes (the parts of the document that are `Decodable`).
    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
