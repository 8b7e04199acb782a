import MirrorConfig
import Testing

@testable import MirrorDaemon

struct LiveConfigurationTests {
    static let base = MirrorConfiguration(
        site: SiteSettings(posts: "/srv/blog/posts", media: "/srv/blog/media", urlPrefix: "/m", baseURL: ""),
        state: StateSettings(database: "/var/lib/mediamirror/manifest.sqlite"))

    @Test func liveSettingsApplyAndRestartOnlyOnesKeepTheirValue() {
        let live = LiveConfiguration(Self.base)
        var changed = Self.base
        changed.fetch.concurrency = 3
        changed.daemon.rescanInterval = 60
        changed.site.posts = "/elsewhere"
        changed.health.listen = "127.0.0.1:1"
        let change = live.apply(changed)
        #expect(change.applied == ["daemon.rescan_interval", "fetch.concurrency"])
        #expect(change.needRestart == ["health.listen", "site.posts"])
        #expect(live.current.fetch.concurrency == 3)
        #expect(live.current.daemon.rescanInterval == 60)
        #expect(live.current.site.posts == "/srv/blog/posts")
        #expect(live.current.health.listen == Self.base.health.listen)
        #expect(
            live.apply(changed) == LiveConfiguration.Change(applied: [], needRestart: ["health.listen", "site.posts"]))
    }
}
