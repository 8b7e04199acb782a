import Foundation
import MirrorImaging
import Synchronization
import Testing

/// A cancelled caller whose job still waits for a thread is answered at once and its job never
/// runs (a daemon's stop must not wait behind queued thumbnails); a running job finishes.
struct ImageWorkerPoolTests {
    @Test func aQueuedJobOfACancelledCallerNeverRuns() async throws {
        let pool = ImageWorkerPool(threads: 1)
        defer { pool.shutdown() }
        let release = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let ran = Atomic<Bool>(false)
        let busy = Task {
            try await pool.run {
                started.signal()
                release.wait()
                return 1
            }
        }
        started.wait()
        let queued = Task {
            try await pool.run {
                ran.store(true, ordering: .relaxed)
                return 2
            }
        }
        queued.cancel()
        await #expect(throws: CancellationError.self) { try await queued.value }
        release.signal()
        #expect(try await busy.value == 1)
        // The pool still works, and the cancelled job did not run on the freed thread.
        #expect(try await pool.run { 3 } == 3)
        let cancelledJobRan = ran.load(ordering: .relaxed)
        #expect(!cancelledJobRan)
    }
}
