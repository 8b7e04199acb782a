/// An optional that is encoded as `null` when it has no value. Synthesized `Encodable` leaves a
/// nil optional's key out; the JSON that scripts read (`report --json`, `/status`) promises every
/// key, so the fields that may be absent there are declared with this instead of a hand-written
/// `encode(to:)` per type.
@propertyWrapper
public struct NullWhenAbsent<Value> {
    public var wrappedValue: Value?

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }
}

extension NullWhenAbsent: Sendable where Value: Sendable {}

extension NullWhenAbsent: Equatable where Value: Equatable {}

extension NullWhenAbsent: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue {
            try container.encode(wrappedValue)
        } else {
            try container.encodeNil()
        }
    }
}

extension NullWhenAbsent: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        wrappedValue = container.decodeNil() ? nil : try container.decode(Value.self)
    }
}

extension KeyedDecodingContainer {
    /// A missing key reads as nil, as it does for a plain optional (synthesized `Decodable` calls
    /// this overload for wrapped properties).
    public func decode<Value: Decodable>(
        _ type: NullWhenAbsent<Value>.Type, forKey key: Key
    ) throws -> NullWhenAbsent<Value> {
        try decodeIfPresent(type, forKey: key) ?? NullWhenAbsent(wrappedValue: nil)
    }
}
