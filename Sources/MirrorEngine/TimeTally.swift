import Synchronization

/// A sum of durations added from many threads.
final class TimeTally: Sendable {
    private let nanoseconds = Atomic<Int>(0)

    func add(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        nanoseconds.add(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000), ordering: .relaxed)
    }

    var total: Double {
        Double(nanoseconds.load(ordering: .relaxed)) / 1e9
    }
}
