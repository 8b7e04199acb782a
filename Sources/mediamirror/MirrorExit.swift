/// Ends the process with one of the documented exit codes.
struct MirrorExit: Error {
    static let success: Int32 = 0
    static let someFailed: Int32 = 1
    static let usage: Int32 = 2
    static let cannotRun: Int32 = 3

    var code: Int32
    var message: String?
}
