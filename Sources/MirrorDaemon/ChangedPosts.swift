import Synchronization

/// What changed in the posts tree since the last pass took it: some posts (paths relative to
/// the posts directory, as inotify reported them) or possibly anything (a directory moved, the
/// event queue overflowed, the daemon just started). A pass that only changes asked for reads
/// just those posts instead of walking the tree.
public final class ChangedPosts: Sendable {
    public enum Scope: Sendable, Equatable {
        case posts(Set<String>)
        case everything

        /// Past this many posts a walk is cheaper than naming them (and SQLite takes at most
        /// 32,766 values in one query).
        static let limit = 1000

        mutating func merge(_ other: Scope) {
            switch (self, other) {
            case (.posts(let mine), .posts(let theirs)):
                let union = mine.union(theirs)
                self = union.count > Self.limit ? .everything : .posts(union)
            default: self = .everything
            }
        }
    }

    private let scope = Mutex(Scope.everything)

    public init() {}

    public func add(_ change: Scope) {
        scope.withLock { $0.merge(change) }
    }

    /// What changed since the last call; nothing is pending after it.
    public func take() -> Scope {
        scope.withLock { scope in
            defer { scope = .posts([]) }
            return scope
        }
    }
}
