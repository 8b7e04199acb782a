import MirrorPosts
import MirrorStore

/// What rewriting one post means, worked out without touching a disk: the byte edits, the
/// records the manifest keeps (written ahead of the edit, so restore always works) and the
/// tally of its references.
struct RewritePlan: Sendable {
    var post: ScannedPost
    var edits: [PostEdit] = []
    /// One per reference with a target, its local value set when it is rewritten.
    var references: [ReferenceRecord] = []
    var elementEdits: [ElementEditRecord] = []
    var counts = ReferenceCounts()
    var problems: [SyncProblem] = []

    /// Edits that point a reference at its local copy (the rest are element edits).
    var referenceEditCount: Int { edits.count - elementEdits.count }

    /// References still to be fetched (or failed): recorded as the post's pending count.
    var pendingCount: Int { references.filter { $0.localValue == nil }.count }

    /// The references that would have been rewritten count as failed after all (the write did
    /// not happen), and none of them keeps a local value.
    mutating func abandonEdits(_ kind: FailureClass, _ message: String) {
        counts.mirrored -= referenceEditCount
        counts.failed += referenceEditCount
        for index in references.indices { references[index].localValue = nil }
        problems.append(SyncProblem(subject: post.relativePath, kind: kind, message: message))
    }
}

/// A post's references by outcome.
struct ReferenceCounts: Sendable, Equatable {
    var references = 0
    var mirrored = 0
    var failed = 0
    var pending = 0
    var skipped = 0
}
