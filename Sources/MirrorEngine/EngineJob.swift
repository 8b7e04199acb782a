import Logging
import MirrorConfig

/// A job made from an `EngineContext` alone; its code reads the configuration and the logger
/// as its own.
public protocol EngineJob: Sendable {
    var context: EngineContext { get }

    init(_ context: EngineContext)
}

extension EngineJob {
    public var configuration: MirrorConfiguration { context.configuration }
    public var logger: Logger { context.logger }
}
