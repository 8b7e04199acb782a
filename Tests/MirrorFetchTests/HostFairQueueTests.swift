import Testing

@testable import MirrorFetch

/// The waiting line of the curl loop: limits hold, hosts take turns, cancelled work takes no slot.
struct HostFairQueueTests {
    @Test func limitsHoldAndHostsTakeTurns() {
        var queue = HostFairQueue<String>(limit: 3, perHost: 2)
        for index in 0..<5 {
            queue.append("a\(index)", host: "a")
            queue.append("b\(index)", host: "b")
        }
        var taken: [String] = []
        while let (item, counted) = queue.next(skip: { _ in false }) {
            #expect(counted)
            taken.append(item)
        }
        #expect(taken == ["a0", "b0", "a1"])
        #expect(queue.activeCount(host: "a") == 2 && queue.active == 3)
        queue.finished(host: "a")
        // b has room and was waiting longer than a, which just got its room back.
        #expect(queue.next(skip: { _ in false })?.element == "b1")
        #expect(queue.next(skip: { _ in false }) == nil)
        queue.finished(host: "b")
        #expect(queue.next(skip: { _ in false })?.element == "a2")
        #expect(queue.waitingCount == 5)
    }

    @Test func aHostWithThousandsOfItemsDoesNotStarveOthers() {
        var queue = HostFairQueue<Int>(limit: 16, perHost: 4)
        for index in 0..<10_000 { queue.append(index, host: "big") }
        queue.append(-1, host: "small")
        var first: [Int] = []
        while let (item, _) = queue.next(skip: { _ in false }) { first.append(item) }
        #expect(first == [0, -1, 1, 2, 3])
    }

    @Test func cancelledItemsAreHandedOutWithoutASlot() {
        var queue = HostFairQueue<Int>(limit: 1, perHost: 1)
        for index in 0..<4 { queue.append(index, host: "a") }
        var out: [(Int, Bool)] = []
        while let (item, counted) = queue.next(skip: { $0 < 3 }) { out.append((item, counted)) }
        #expect(out.map(\.0) == [0, 1, 2, 3])
        #expect(out.map(\.1) == [false, false, false, true])
        #expect(queue.active == 1 && queue.waitingCount == 0)
    }

    @Test func drainingManyHostsVisitsEachItemOnce() {
        var queue = HostFairQueue<Int>(limit: 16, perHost: 4)
        for index in 0..<50_000 { queue.append(index, host: "h\(index % 5_000)") }
        var seen = Set<Int>()
        var inFlight: [(Int, String)] = []
        while seen.count < 50_000 {
            while let (item, counted) = queue.next(skip: { _ in false }) {
                #expect(counted && seen.insert(item).inserted)
                inFlight.append((item, "h\(item % 5_000)"))
            }
            #expect(queue.active <= 16)
            for (_, host) in inFlight { queue.finished(host: host) }
            inFlight = []
        }
        #expect(queue.removeAllWaiting().isEmpty && queue.active == 0)
    }

    @Test func cancelledWaitingItemsCanBeTakenOutOfEveryLine() {
        var queue = HostFairQueue<Int>(limit: 2, perHost: 1)
        for index in 0..<6 { queue.append(index, host: index.isMultiple(of: 2) ? "a" : "b") }
        #expect(queue.next(skip: { _ in false })?.element == 0)
        #expect(queue.next(skip: { _ in false })?.element == 1)
        // Both hosts are full; 2, 3 and 4 are cancelled meanwhile.
        #expect(queue.removeWaiting(where: { (2...4).contains($0) }).sorted() == [2, 3, 4])
        #expect(queue.waitingCount == 1)
        queue.finished(host: "a")
        queue.finished(host: "b")
        #expect(queue.next(skip: { _ in false })?.element == 5)
        #expect(queue.next(skip: { _ in false }) == nil)
    }
}
