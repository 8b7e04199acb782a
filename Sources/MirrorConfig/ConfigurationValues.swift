import Configuration

/// Typed, strict access to the merged configuration: a key that is present with a value of the
/// wrong type is an error naming the key, never a silent default.
struct ConfigurationValues {
    let reader: ConfigReader
    /// Keys present in the file or the environment.
    let present: Set<String>
    let file: String?

    func error(_ key: String, _ reason: String) -> ConfigurationError {
        ConfigurationError(key: key, reason: reason, file: file)
    }

    func string(_ key: String) throws -> String? {
        guard present.contains(key) else { return nil }
        return try typed(key, "a string") { try reader.requiredString(forKey: ConfigKey(key)) }
    }

    func int(_ key: String) throws -> Int? {
        guard present.contains(key) else { return nil }
        return try typed(key, "an integer") { try reader.requiredInt(forKey: ConfigKey(key)) }
    }

    func bool(_ key: String) throws -> Bool? {
        guard present.contains(key) else { return nil }
        return try typed(key, "true or false") { try reader.requiredBool(forKey: ConfigKey(key)) }
    }

    func stringList(_ key: String) throws -> [String]? {
        guard present.contains(key) else { return nil }
        return try typed(key, "a list of strings") { try reader.requiredStringArray(forKey: ConfigKey(key)) }
    }

    func intList(_ key: String) throws -> [Int]? {
        guard present.contains(key) else { return nil }
        return try typed(key, "a list of integers") { try reader.requiredIntArray(forKey: ConfigKey(key)) }
    }

    private func typed<Value>(_ key: String, _ expected: String, _ read: () throws -> Value) throws -> Value {
        do {
            return try read()
        } catch {
            throw self.error(key, "must be \(expected)")
        }
    }
}
