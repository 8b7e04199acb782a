import Foundation
import MirrorEngine
import Synchronization

/// A live status line for a sync on a terminal: what phase it is in, URLs settled and failed out
/// of the total, bytes, download rate and an estimate of the time left. Redrawn five times a
/// second on a thread of its own; erased when the sync ends, before the summary is printed.
final class ProgressDisplay: Sendable {
    private struct State {
        var progress = SyncProgress()
        var fetchStarted: ContinuousClock.Instant?
        var settledAtFetchStart = 0
        var stopped = false
    }

    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)
    private let started = ContinuousClock.now

    /// Only when standard output is a terminal; nil otherwise (plain log lines then).
    static func forTerminal() -> ProgressDisplay? {
        isatty(STDOUT_FILENO) == 1 ? ProgressDisplay() : nil
    }

    private init() {
        let thread = Thread { [self] in draw() }
        thread.name = "mediamirror-progress"
        thread.start()
    }

    /// The sync engine's progress callback.
    func update(_ progress: SyncProgress) {
        state.withLock { state in
            if progress.phase == .fetching && state.fetchStarted == nil {
                state.fetchStarted = ContinuousClock.now
                state.settledAtFetchStart = progress.urlsSettled
            }
            state.progress = progress
        }
    }

    /// Stops drawing and erases the line.
    func stop() {
        state.withLock { $0.stopped = true }
        finished.wait()
    }

    private func draw() {
        while true {
            let (snapshot, stopped) = state.withLock { ($0, $0.stopped) }
            if stopped {
                write("\r\u{1B}[K")
                finished.signal()
                return
            }
            write("\r\u{1B}[K" + Self.line(snapshot.progress, fetchStarted: snapshot.fetchStarted, since: started))
            usleep(200_000)
        }
    }

    private static func line(
        _ progress: SyncProgress, fetchStarted: ContinuousClock.Instant?, since: ContinuousClock.Instant
    ) -> String {
        let elapsed = (ContinuousClock.now - since).seconds
        switch progress.phase {
        case .scanning:
            return "scanning posts: \(progress.postsScanned) read  [\(clock(elapsed))]"
        case .fetching:
            var text =
                "fetching: \(progress.urlsSettled)/\(progress.urls) URLs, \(progress.urlsFailed) failed, "
                + ByteCountText.of(progress.bytesDownloaded)
            if let fetchStarted {
                let fetching = max(0.001, (ContinuousClock.now - fetchStarted).seconds)
                text += " at \(ByteCountText.of(Int(Double(progress.bytesDownloaded) / fetching)))/s"
                let perSecond = Double(progress.urlsSettled) / fetching
                if perSecond > 0 && progress.urls > progress.urlsSettled {
                    text += ", about \(clock(Double(progress.urls - progress.urlsSettled) / perSecond)) left"
                }
            }
            return text + "  [\(clock(elapsed))]"
        case .rewriting, .done:
            return "rewriting posts: \(progress.postsRewritten) rewritten  [\(clock(elapsed))]"
        }
    }

    private static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
