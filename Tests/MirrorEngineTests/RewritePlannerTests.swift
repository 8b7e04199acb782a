import MirrorConfig
import MirrorPosts
import MirrorStore
import Testing

@testable import MirrorEngine

/// The edit stage's plan, without a disk or a manifest: settled outcomes in, edits and records
/// out.
struct RewritePlannerTests {
    static func configuration(_ rewrite: RewriteSettings = RewriteSettings()) -> MirrorConfiguration {
        MirrorConfiguration(
            site: SiteSettings(posts: "/nowhere/posts", media: "/nowhere/media"),
            state: StateSettings(database: "/nowhere/manifest.sqlite"), rewrite: rewrite)
    }

    static func post(_ text: String, configuration: MirrorConfiguration = configuration()) -> ScannedPost {
        let bytes = Array(text.utf8)
        let scan = ReferenceScanner(configuration: configuration).scan(bytes, isMarkdown: true)
        return ScannedPost(relativePath: "p.md", path: "/nowhere/posts/p.md", bytes: bytes, scan: scan)
    }

    static func mirrored(_ sha: String, width: Int = 1920, height: Int = 1280, thumbnails: [Int] = []) -> SettledURL {
        let asset = AssetRecord(
            sha256: sha, path: "\(sha.prefix(2))/\(sha).jpg", format: "jpeg", bytes: 1000, width: width, height: height,
            orientation: 1, displayedWidth: width, displayedHeight: height, frames: 1, createdAt: 0)
        let records = thumbnails.map {
            ThumbnailRecord(
                asset: sha, width: $0, height: $0 * height / width, path: "\(sha.prefix(2))/\(sha)-\($0)w.jpg",
                bytes: 10)
        }
        return .mirrored(MirroredURL(asset: asset, thumbnails: records, fetched: true, bytes: 1000, thumbnailsMade: 0))
    }

    static func apply(_ plan: RewritePlan) throws -> String {
        String(decoding: try PostRewriter.apply(plan.edits, to: plan.post.bytes), as: UTF8.self)
    }

    @Test func mirroredFailedAndPendingReferences() throws {
        let configuration = Self.configuration()
        let post = Self.post(
            """
            ---
            headimg: http://a.test/1.jpg
            ---
            <img data-original="http://a.test/2.jpg" src="/images/mirror/xx/old.jpg">
            ![x](http://a.test/3.jpg) ![y](http://a.test/4.jpg) ![z](data:image/png;base64,AA)
            """)
        let planner = RewritePlanner(
            configuration: configuration, scanner: ReferenceScanner(configuration: configuration), dryRun: false)
        let plan = planner.plan(
            post,
            settled: [
                "http://a.test/1.jpg": Self.mirrored("aa11"), "http://a.test/2.jpg": Self.mirrored("bb22"),
                "http://a.test/3.jpg": .failed(.httpStatus, message: "404"),
            ])
        #expect(
            plan.counts == ReferenceCounts(references: 5, mirrored: 3, failed: 1, pending: 1, skipped: 1),
            "\(plan.counts)")
        #expect(plan.references.count == 4)
        #expect(plan.pendingCount == 2)
        #expect(plan.referenceEditCount == 2 && plan.elementEdits.isEmpty)
        let text = try Self.apply(plan)
        #expect(text.contains("headimg: /images/mirror/aa/aa11.jpg"))
        #expect(text.contains("data-original=\"/images/mirror/bb/bb22.jpg\""))
        #expect(text.contains("![x](http://a.test/3.jpg)") && text.contains("![y](http://a.test/4.jpg)"))
    }

    @Test func variantsPointAtTheirThumbnailFromTheSettledOutcome() throws {
        let configuration = Self.configuration(
            RewriteSettings(variants: [RewriteVariant(text: "thumbnail=320", selector: "thumbnail", width: 320)]))
        let post = Self.post(
            "---\nthumbnail: http://a.test/1.jpg\nheadimg: http://a.test/1.jpg\n---\n", configuration: configuration)
        let planner = RewritePlanner(
            configuration: configuration, scanner: ReferenceScanner(configuration: configuration), dryRun: false)
        let plan = planner.plan(post, settled: ["http://a.test/1.jpg": Self.mirrored("cc33", thumbnails: [320, 640])])
        let text = try Self.apply(plan)
        #expect(text.contains("thumbnail: /images/mirror/cc/cc33-320w.jpg"), "\(text)")
        #expect(text.contains("headimg: /images/mirror/cc/cc33.jpg"), "\(text)")
    }

    @Test func aDryRunShowsWhereUnfetchedImagesWouldGo() throws {
        let configuration = Self.configuration()
        let planner = RewritePlanner(
            configuration: configuration, scanner: ReferenceScanner(configuration: configuration), dryRun: true)
        let plan = planner.plan(Self.post("<img src=\"http://a.test/9.jpg\">\n"), settled: [:])
        let text = try Self.apply(plan)
        #expect(text.contains("/images/mirror/") && text.contains("not-downloaded-yet") && !text.contains("a.test"))
        #expect(plan.counts.pending == 1)
    }

    /// Element edits parse only the tags the scan located, and are anchored on the local value.
    @Test func aMismatchedDeclaredSizeIsCorrectedWithProvenance() throws {
        let configuration = Self.configuration(RewriteSettings(fixDimensions: true, provenanceAttribute: "data-mm-src"))
        let post = Self.post(
            "<p>a</p><img src=\"x.gif\" data-original=\"http://a.test/1.jpg\" width=\"100\" height=\"100\"><img src=\"http://a.test/2.jpg\">\n",
            configuration: configuration)
        #expect(post.elements.count == 2)
        let planner = RewritePlanner(
            configuration: configuration, scanner: ReferenceScanner(configuration: configuration), dryRun: false)
        let plan = planner.plan(post, settled: ["http://a.test/1.jpg": Self.mirrored("dd44", width: 300, height: 200)])
        #expect(!plan.elementEdits.isEmpty)
        #expect(plan.elementEdits.allSatisfy { $0.anchorValue == "/images/mirror/dd/dd44.jpg" })
        let text = try Self.apply(plan)
        #expect(text.contains("data-mm-src=\"http://a.test/1.jpg\""), "\(text)")
        // The declared width stays; the height follows the image's aspect.
        #expect(text.contains("width=\"100\" height=\"67\""), "\(text)")
        #expect(text.contains("<img src=\"http://a.test/2.jpg\">"))
    }

    @Test func abandoningEditsCountsThemFailedAndClearsLocalValues() {
        let configuration = Self.configuration()
        let planner = RewritePlanner(
            configuration: configuration, scanner: ReferenceScanner(configuration: configuration), dryRun: false)
        var plan = planner.plan(
            Self.post("![x](http://a.test/1.jpg)\n"), settled: ["http://a.test/1.jpg": Self.mirrored("ee55")])
        plan.abandonEdits(.diskFull, "no space")
        #expect(plan.counts.mirrored == 0 && plan.counts.failed == 1)
        #expect(plan.references.allSatisfy { $0.localValue == nil })
        #expect(plan.problems.map(\.kind) == [.diskFull])
    }
}
