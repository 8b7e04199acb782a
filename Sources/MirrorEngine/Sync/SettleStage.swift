import Logging
import MirrorConfig
import MirrorFetch
import MirrorImaging
import MirrorPosts
import MirrorStore

/// The settle stage: every distinct target fetched, verified, stored and thumbnailed (or found
/// in the manifest, or failed), handed to the edit stage as each settles. The client queues and
/// limits transfers itself; the task group only bounds how many tasks wait at once. Ticks every
/// `PostEditor.batchDelay` let ready posts be rewritten while slow downloads go on.
struct SettleStage {
    let configuration: MirrorConfiguration
    let manifest: Manifest
    let store: any MediaStore
    let retryFailed: Bool
    let rescue: ArchiveRescue?
    let logger: Logger

    private enum Event: Sendable {
        case settled(String, SettledURL)
        case tick
    }

    /// Returns the seconds the image threads spent.
    func run(
        _ targets: [ImageTarget], editor: inout PostEditor, shouldStop: @escaping @Sendable () -> Bool,
        onSettled: (SettledURL) -> Void
    ) async throws -> Double {
        let fetch = configuration.fetch
        let client = try FetchClientFactory.client(for: configuration)
        let workers = ImageWorkerPool()
        defer {
            client.shutdown()
            workers.shutdown()
        }
        let pipeline = AssetPipeline(
            downloader: Downloader(client: client, attempts: fetch.attempts),
            headerPolicy: HeaderPolicy(configuration: configuration),
            referers: RefererMemory(manifest: manifest, learns: fetch.learnReferer, logger: logger),
            breaker: HostBreaker(), retryFailed: retryFailed,
            placeholders: fetch.placeholders, rescue: rescue,
            store: store, manifest: manifest, thumbnailer: Thumbnailer(configuration: configuration),
            plan: ThumbnailPlan(configuration: configuration),
            workers: workers, logger: logger,
            needsThumbnails: !configuration.rewrite.variants.isEmpty || configuration.rewrite.srcset)
        await withTaskGroup(of: Event.self) { group in
            var iterator = targets.makeIterator()
            var remaining = targets.count
            var inFlight = 0
            SyncMetrics.queueDepth(remaining)
            for _ in 0..<max(fetch.concurrency * 2, 8) where !shouldStop() {
                guard let target = iterator.next() else { break }
                group.addTask { .settled(target.url, await pipeline.settle(target)) }
                inFlight += 1
            }
            if inFlight > 0 { group.addTask { await Self.tick() } }
            while let event = await group.next() {
                switch event {
                case .tick:
                    editor.tick()
                    if inFlight > 0 && !Task.isCancelled { group.addTask { await Self.tick() } }
                case .settled(let url, let outcome):
                    remaining -= 1
                    inFlight -= 1
                    SyncMetrics.queueDepth(remaining)
                    editor.settle(url, outcome)
                    onSettled(outcome)
                    // Once cancelled or stopping, nothing new starts; what runs is abandoned by
                    // its own task.
                    if !Task.isCancelled, !shouldStop(), !pipeline.diskFull.isSet,
                        !pipeline.storeUnavailable.isSet, let target = iterator.next()
                    {
                        group.addTask { .settled(target.url, await pipeline.settle(target)) }
                        inFlight += 1
                    }
                }
            }
            SyncMetrics.queueDepth(0)
        }
        return pipeline.imageSeconds.total
    }

    private static func tick() async -> Event {
        try? await Task.sleep(for: PostEditor.batchDelay)
        return .tick
    }
}
