import Foundation
import MirrorEngine
import Synchronization

/// What the daemon's services tell each other and the status page: readiness, the pass in
/// progress, the last pass, the watcher's and the reloader's counters. Every field is read and
/// written under one lock; nothing slow happens inside it.
public final class DaemonState: Sendable {
    public struct Snapshot: Sendable {
        public var startedAt = Date()
        public var manifestOpen = false
        public var listening: String?
        public var firstPassFinished = false
        public var stopping = false
        public var progress: SyncProgress?
        public var passStartedAt: Date?
        public var passes = 0
        public var lastPass: PassRecord?
        /// The last passes, newest first, for the dashboard.
        public var recentPasses: [PassRecord] = []
        public var lastSuccessAt: Date?
        public var watchedDirectories = 0
        public var watcherEvents = 0
        public var watcherError: String?
        public var reloads = 0
        public var lastReloadAt: Date?
        public var reloadError: String?
        public var restartRequired: [String] = []
    }

    private let state = Mutex(Snapshot())

    public init() {}

    public var snapshot: Snapshot {
        state.withLock { $0 }
    }

    public func update(_ change: (inout Snapshot) -> Void) {
        state.withLock { change(&$0) }
    }

    /// Ready for systemd's READY=1: the manifest is open and the HTTP server listens.
    public var isStarted: Bool {
        state.withLock { $0.manifestOpen && $0.listening != nil }
    }
}
