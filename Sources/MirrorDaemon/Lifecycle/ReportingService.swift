import ServiceLifecycle

/// A service of the daemon's group whose failure is reported the moment it happens (a log line
/// naming the cause, systemd's STATUS= and ERRNO=, the exit deadline armed), before the group
/// has cancelled and waited for the others.
struct ReportingService: Service, CustomStringConvertible {
    let service: any Service
    let name: String
    let onFailure: @Sendable (StartFailure) -> Void

    var description: String { name }

    func run() async throws {
        do {
            try await service.run()
        } catch is CancellationError {
            throw CancellationError()
        } catch let failure as StartFailure {
            onFailure(StartFailure("\(name): \(failure.description)", errno: failure.errno))
            throw failure
        } catch {
            onFailure(StartFailure("\(name): \(error)"))
            throw error
        }
    }
}
