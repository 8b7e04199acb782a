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

    /// One queued job's fate: taken by a thread or given up by its cancelled caller; whichever
    /// comes first resumes the caller, exactly once.
    private final class Claim: Sendable {
        private let taken = Atomic<Bool>(false)
        /// The caller's continuation once it waits; `cancelledEarly` when the cancellation came
        /// before it did.
        let waiter = Mutex<(continuation: UnsafeContinuation<Void, Never>?, cancelledEarly: Bool)>((nil, false))

        func take() -> Bool { !taken.exchange(true, ordering: .acquiringAndReleasing) }
    }

    /// Runs `body` on one of the pool's threads. A caller cancelled while its job still waits
    /// for a thread gets `CancellationError` at once and the job never runs; a job already
    /// running finishes.
    public func run<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async throws -> Value {
        let claim = Claim()
        let result = Mutex<Result<Value, any Error>?>(nil)
        await withTaskCancellationHandler {
            await withUnsafeContinuation { (continuation: UnsafeContinuation<Void, Never>) in
                let cancelledEarly = claim.waiter.withLock { waiter -> Bool in
                    waiter.continuation = continuation
                    return waiter.cancelledEarly
                }
                // Cancelled before it could wait: the job is never queued.
                if cancelledEarly, claim.take() {
                    result.withLock { $0 = .failure(CancellationError()) }
                    continuation.resume()
                    return
                }
                let accepted = state.withLock { state -> Bool in
                    guard !state.stopped else { return false }
                    state.jobs.append {
                        guard claim.take() else { return }
                        let value = body()
                        result.withLock { $0 = .success(value) }
                        continuation.resume()
                    }
                    return true
                }
                if accepted {
                    available.signal()
                } else if claim.take() {
                    result.withLock { $0 = .failure(Stopped()) }
                    continuation.resume()
                }
            }
        } onCancel: {
            let continuation = claim.waiter.withLock { waiter -> UnsafeContinuation<Void, Never>? in
                if waiter.continuation == nil { waiter.cancelledEarly = true }
                return waiter.continuation
            }
            if let continuation, claim.take() {
                result.withLock { $0 = .failure(CancellationError()) }
                continuation.resume()
            }
        }
        guard let outcome = result.withLock({ $0 }) else { throw Stopped() }
        return try outcome.get()
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
