internal import CSystemShims
import Foundation
import Synchronization

/// A fixed set of threads for image work: decoding, resampling, encoding and the file writes
/// around them. That work blocks for milliseconds to seconds; on Swift's cooperative pool (one
/// thread per core) it would starve every other task, the health endpoint's handlers among them.
/// The threads run at a lower priority (nice +5), so a request to the daemon is answered first.
public final class ImageWorkerPool: Sendable {
    private struct State {
        /// Taken jobs are set to nil at once: a finished job must not keep what it captured alive.
        var jobs: [(@Sendable () -> Void)?] = []
        var head = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)
    public let threads: Int

    /// `threads`: defaults to the cores this process may use.
    public init(threads: Int = ProcessInfo.processInfo.activeProcessorCount, nice: Int32 = 5) {
        self.threads = max(1, threads)
        for index in 0..<self.threads {
            let thread = Thread { [self] in
                _ = mm_set_thread_nice(nice)
                work()
            }
            thread.name = "mediamirror-image-\(index)"
            thread.start()
        }
    }

    /// Lets the threads end once the queued jobs are done. Jobs submitted later fail.
    public func shutdown() {
        let alreadyStopped = state.withLock { state -> Bool in
            defer { state.stopped = true }
            return state.stopped
        }
        guard !alreadyStopped else { return }
        for _ in 0..<threads { available.signal() }
    }

    public struct Stopped: Error {}

    /// Runs `body` on one of the pool's threads.
    public func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.jobs.append { continuation.resume(returning: body()) }
                return true
            }
            if accepted {
                available.signal()
            } else {
                continuation.resume(throwing: Stopped())
            }
        }
    }

    private func work() {
        while true {
            available.wait()
            let job = state.withLock { state -> (@Sendable () -> Void)? in
                guard state.head < state.jobs.count else { return nil }
                let job = state.jobs[state.head]
                state.jobs[state.head] = nil
                state.head += 1
                // Drop the consumed prefix now and then, so the array does not grow for ever.
                if state.head > 1024 && state.head * 2 > state.jobs.count {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return job
            }
            guard let job else { return }
            job()
        }
    }
}
