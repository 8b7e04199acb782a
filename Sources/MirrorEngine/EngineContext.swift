import Logging
import MirrorConfig

/// What every engine job (sync, verify, restore, gc) works from: the site's configuration and
/// where it logs.
public struct EngineContext: Sendable {
    public let configuration: MirrorConfiguration
    public let logger: Logger

    public init(configuration: MirrorConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }
}
