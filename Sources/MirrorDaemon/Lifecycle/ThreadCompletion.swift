import Synchronization

/// The end of a dedicated thread, awaited by the service that started it. Waiting also ends when
/// the waiting task is cancelled: the thread has then been told to stop and finishes on its own.
final class ThreadCompletion: Sendable {
    private let stream: AsyncStream<Never>
    private let continuation: AsyncStream<Never>.Continuation

    init() {
        (stream, continuation) = AsyncStream<Never>.makeStream()
    }

    /// Called by the thread as its last act.
    func finish() {
        continuation.finish()
    }

    func wait() async {
        for await _ in stream {}
    }
}
