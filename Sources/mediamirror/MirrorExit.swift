/// Ends the process with one of the documented exit codes.
struct MirrorExit: Error {
    static let success: Int32 = 0
    static let someFailed: Int32 = 1
    static let usage: Int32 = 2
    static let cannotRun: Int32 = 3

    var code: Int32
    var message: String?

    /// The result of a command's work; whatever the work throws means the command could not
    /// run (exit 3, the error as the message).
    static func cannotRunOnError<Result>(_ work: () async throws -> Result) async throws -> Result {
        do {
            return try await work()
        } catch {
            throw MirrorExit(code: cannotRun, message: "\(error)")
        }
    }
}
