/// A first-in first-out queue on an array with a moving head: O(1) amortised at both ends.
struct FIFO<Element> {
    /// Consumed slots are cleared so the queue does not keep what it handed out alive.
    private var items: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }

    mutating func append(_ element: Element) {
        items.append(element)
    }

    mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        items[head] = nil
        head += 1
        // Drop the consumed prefix once it is most of the storage.
        if head >= 64 && head * 2 >= items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes and returns the elements that match, keeping the others in order.
    mutating func removeAll(where matches: (Element) -> Bool) -> [Element] {
        var kept: [Element?] = []
        var removed: [Element] = []
        for case let element? in items[head...] {
            if matches(element) { removed.append(element) } else { kept.append(element) }
        }
        items = kept
        head = 0
        return removed
    }
}
