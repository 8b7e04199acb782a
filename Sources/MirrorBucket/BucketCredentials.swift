import Foundation

/// The keys requests are signed with. The secret is kept out of every description, log line
/// and error: only the access key id is ever shown.
public struct BucketCredentials: Sendable, CustomStringConvertible {
    public var accessKeyID: String
    let secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String { "access key \(accessKeyID)" }

    /// The standard variables: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    public static func fromEnvironment(_ environment: [String: String]) -> BucketCredentials? {
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return BucketCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }

    /// A shared credentials file in the AWS format (`[profile]` sections of
    /// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token`).
    public static func fromFile(_ path: String, profile: String) throws(BucketFailure) -> BucketCredentials {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BucketFailure(.credentials, "the credentials file \(path) cannot be read")
        }
        var section = ""
        var values: [String: String] = [:]
        for rawLine in String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                if section.hasPrefix("profile ") { section = String(section.dropFirst(8)) }
                continue
            }
            guard section == profile, let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            values[key] = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        }
        guard let id = values["aws_access_key_id"], !id.isEmpty,
            let secret = values["aws_secret_access_key"], !secret.isEmpty
        else {
            throw BucketFailure(
                .credentials,
                "the credentials file \(path) has no aws_access_key_id and aws_secret_access_key in [\(profile)]")
        }
        let token = values["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return BucketCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }
}
