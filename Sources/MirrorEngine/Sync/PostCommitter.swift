import Logging
import MirrorPosts
import MirrorStore

/// Carries out a rewrite plan: the post is replaced atomically, and only if it still holds
/// the bytes that were planned on; the manifest then records the post. A post changed by
/// someone meanwhile is read, scanned and planned again (their edit kept), a few times at most.
/// The plan's intents must be in the manifest before `commit` (the edit stage saves them,
/// durably, for a batch of posts at once); a re-planned post's are saved here.
struct PostCommitter: Sendable {
    /// Nil in a dry run without a manifest: nothing is recorded then.
    let manifest: Manifest?
    let planner: RewritePlanner
    let dryRun: Bool
    let logger: Logger
    /// Rescans allowed when a post keeps changing under us.
    static let maximumRescans = 3

    struct Outcome {
        var counts = ReferenceCounts()
        var rewritten = false
        var rescans = 0
        var problems: [SyncProblem] = []
        /// The unified diff of the rewrite, in a dry run.
        var diff: String?
    }

    func commit(_ first: RewritePlan, settled: [String: SettledURL]) -> Outcome {
        if dryRun { return preview(first) }
        var plan = first
        var outcome = Outcome()
        var finalBytes = plan.post.bytes
        while !plan.edits.isEmpty {
            if outcome.rescans > 0 {
                do {
                    try manifest?.saveIntents([(plan.references, plan.elementEdits)])
                } catch {
                    return abandoned(plan, .manifest, "\(error)", outcome)
                }
            }
            do {
                finalBytes = try write(plan)
                outcome.rewritten = true
                break
            } catch is ChangedSinceScan where outcome.rescans < Self.maximumRescans {
                // The element edits written ahead were planned on the old text.
                forgetElementEdits(of: plan)
                guard let rescanned = rescan(plan.post) else {
                    return abandoned(plan, .rewrite, "disappeared", outcome)
                }
                logger.notice(
                    "post changed during the sync; scanned again", metadata: ["post": "\(plan.post.relativePath)"])
                outcome.rescans += 1
                plan = planner.plan(rescanned, settled: settled)
                finalBytes = rescanned.bytes
            } catch {
                // Nothing was written: the references keep their original values and the
                // element edits written ahead did not happen.
                forgetElementEdits(of: plan)
                let full = (error as? AtomicFile.Failure)?.isDiskFull == true
                plan.abandonEdits(full ? .diskFull : .rewrite, "\(error)")
                break
            }
        }
        outcome.counts = plan.counts
        outcome.problems += plan.problems
        if let problem = record(plan, bytes: finalBytes) { outcome.problems.append(problem) }
        return outcome
    }

    /// The outcome when the intents could not be saved: nothing is written, the references
    /// that would have been rewritten count as failed.
    func failedIntents(_ plan: RewritePlan, _ error: any Error) -> Outcome {
        abandoned(plan, .manifest, "\(error)", Outcome())
    }

    /// A post left as it is, unrecorded: its would-be rewrites count as failed, for `kind`.
    private func abandoned(_ plan: RewritePlan, _ kind: FailureClass, _ message: String, _ outcome: Outcome) -> Outcome
    {
        var plan = plan
        plan.abandonEdits(kind, message)
        var outcome = outcome
        outcome.counts = plan.counts
        outcome.problems += plan.problems
        return outcome
    }

    private func preview(_ plan: RewritePlan) -> Outcome {
        var outcome = Outcome(counts: plan.counts, rewritten: !plan.edits.isEmpty, problems: plan.problems)
        if !plan.edits.isEmpty, let rewritten = try? PostRewriter.apply(plan.edits, to: plan.post.bytes) {
            outcome.diff = UnifiedDiff.make(path: plan.post.relativePath, old: plan.post.bytes, new: rewritten)
        }
        return outcome
    }

    private func rescan(_ post: ScannedPost) -> ScannedPost? {
        guard let data = FileBytes.read(post.path) else { return nil }
        let bytes = [UInt8](data)
        return ScannedPost(
            relativePath: post.relativePath, path: post.path, bytes: bytes,
            scan: planner.scanner.scan(bytes, isMarkdown: PostFinder.isMarkdown(post.relativePath)))
    }

    private func forgetElementEdits(of plan: RewritePlan) {
        guard !plan.elementEdits.isEmpty else { return }
        do {
            try manifest?.forgetElementEdits(post: plan.post.relativePath, places: plan.elementEdits.map(\.place))
        } catch {
            // Left behind, they name anchors the post does not have: restore passes them over.
            logger.warning(
                "cannot forget element edits that did not happen",
                metadata: ["post": "\(plan.post.relativePath)", "error": "\(error)"])
        }
    }

    /// Records the post as it now is, with its references; the problem if that failed.
    private func record(_ plan: RewritePlan, bytes: [UInt8]) -> SyncProblem? {
        guard let manifest else { return nil }
        do {
            let postRecord = try PostRecord.describing(
                relativePath: plan.post.relativePath, path: plan.post.path, bytes: bytes, pending: plan.pendingCount)
            try manifest.saveReferences(plan.references, post: postRecord)
            return nil
        } catch {
            return SyncProblem(subject: plan.post.relativePath, kind: .manifest, message: "\(error)")
        }
    }

    struct ChangedSinceScan: Error, CustomStringConvertible {
        var description: String { "kept changing while it was being rewritten; left alone until the next run" }
    }

    /// Applies the edits to the post as it is on disk now, if it is still what was planned on.
    private func write(_ plan: RewritePlan) throws -> [UInt8] {
        let post = plan.post
        guard let current = FileBytes.read(post.path), current.elementsEqual(post.bytes) else {
            throw ChangedSinceScan()
        }
        let rewritten = try PostRewriter.apply(plan.edits, to: post.bytes)
        guard try AtomicFile.replace(post.path, with: rewritten, ifStill: post.bytes) else {
            throw ChangedSinceScan()
        }
        logger.info("rewrote post", metadata: ["post": "\(post.relativePath)", "edits": "\(plan.edits.count)"])
        return rewritten
    }
}
