import MirrorPosts

/// Which scanned posts still wait for URLs to settle: each post is released once the last URL
/// it names is settled, so it can be rewritten at once rather than at the end of the run.
struct PostSettlement {
    private var waitingFor: [Int]
    private var postsOfURL: [String: [Int]] = [:]
    private var released: [Bool]

    init(_ posts: [ScannedPost]) {
        waitingFor = Array(repeating: 0, count: posts.count)
        released = Array(repeating: false, count: posts.count)
        for (index, post) in posts.enumerated() {
            let urls = Set(post.references.compactMap { $0.target?.url })
            waitingFor[index] = urls.count
            for url in urls { postsOfURL[url, default: []].append(index) }
        }
    }

    /// Posts that name no URL to fetch, released now.
    mutating func ready() -> [Int] {
        release(waitingFor.indices.filter { waitingFor[$0] == 0 })
    }

    /// Posts whose last URL this was.
    mutating func settle(_ url: String) -> [Int] {
        guard let posts = postsOfURL.removeValue(forKey: url) else { return [] }
        var done: [Int] = []
        for index in posts {
            waitingFor[index] -= 1
            if waitingFor[index] == 0 { done.append(index) }
        }
        return release(done)
    }

    /// Every post not released yet, released now.
    mutating func remaining() -> [Int] {
        release(released.indices.filter { !released[$0] })
    }

    private mutating func release(_ indices: [Int]) -> [Int] {
        let fresh = indices.filter { !released[$0] }
        for index in fresh { released[index] = true }
        return fresh
    }
}
