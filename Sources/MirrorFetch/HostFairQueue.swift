/// Waiting work per host, handed out within a global and a per-host limit, taking hosts in turn
/// so one host with thousands of URLs cannot starve the others. Every operation is O(1)
/// amortised, whatever the number of waiting items or hosts.
struct HostFairQueue<Element> {
    let limit: Int
    let perHost: Int
    /// Items handed out and not finished yet.
    private(set) var active = 0
    private var activeByHost: [String: Int] = [:]
    private var waiting: [String: FIFO<Element>] = [:]
    /// Hosts with waiting items and room under `perHost`, each at most once.
    private var ready = FIFO<String>()
    private var isReady: Set<String> = []
    private(set) var waitingCount = 0

    init(limit: Int, perHost: Int) {
        self.limit = max(1, limit)
        self.perHost = max(1, perHost)
    }

    mutating func append(_ element: Element, host: String) {
        waiting[host, default: FIFO()].append(element)
        waitingCount += 1
        markReadyIfRoom(host)
    }

    /// The next item to start, counted as active, or nil when the limits or an empty queue say
    /// wait. `skip` items (cancelled ones) are returned without being counted: the caller
    /// finishes them at once.
    mutating func next(skip: (Element) -> Bool) -> (element: Element, counted: Bool)? {
        while active < limit, let host = ready.popFirst() {
            isReady.remove(host)
            guard let element = waiting[host]?.popFirst() else {
                waiting[host] = nil
                continue
            }
            waitingCount -= 1
            if waiting[host]?.isEmpty == true { waiting[host] = nil }
            if skip(element) {
                markReadyIfRoom(host)
                return (element, false)
            }
            active += 1
            activeByHost[host, default: 0] += 1
            // To the back of the line: the other ready hosts go first.
            markReadyIfRoom(host)
            return (element, true)
        }
        return nil
    }

    /// An item handed out by `next` is done.
    mutating func finished(host: String) {
        active -= 1
        let count = activeByHost[host, default: 1] - 1
        activeByHost[host] = count > 0 ? count : nil
        markReadyIfRoom(host)
    }

    /// Removes and returns the waiting items that match (cancelled ones), from every host.
    mutating func removeWaiting(where matches: (Element) -> Bool) -> [Element] {
        var removed: [Element] = []
        for host in Array(waiting.keys) {
            guard var queue = waiting[host] else { continue }
            removed += queue.removeAll(where: matches)
            waiting[host] = queue.isEmpty ? nil : queue
        }
        waitingCount -= removed.count
        return removed
    }

    /// Every waiting item, emptying the queue.
    mutating func removeAllWaiting() -> [Element] {
        var all: [Element] = []
        for (_, var queue) in waiting {
            while let element = queue.popFirst() { all.append(element) }
        }
        waiting = [:]
        ready = FIFO()
        isReady = []
        waitingCount = 0
        return all
    }

    func activeCount(host: String) -> Int {
        activeByHost[host, default: 0]
    }

    private mutating func markReadyIfRoom(_ host: String) {
        guard waiting[host] != nil, activeByHost[host, default: 0] < perHost, !isReady.contains(host) else { return }
        isReady.insert(host)
        ready.append(host)
    }
}
