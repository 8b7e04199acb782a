import MirrorFetch
import MirrorImaging
import Testing

@testable import MirrorEngine

/// The classes keep the names the manifest and `report --json` have always used.
struct FailureClassTests {
    @Test func everyFetchKindKeepsItsName() {
        let kinds: [FetchFailure.Kind] = [
            .dns, .connect, .timeout, .tls, .reset, .truncated, .tooSlow, .httpStatus, .tooLarge, .tooManyRedirects,
            .forbiddenProtocol, .blockedAddress, .invalidURL, .localError, .diskFull, .cancelled, .other,
        ]
        for kind in kinds {
            #expect(FailureClass(kind).rawValue == kind.rawValue)
        }
    }

    @Test func everyImagingErrorKeepsItsName() {
        let errors: [ImagingError] = [
            .notAnImage("x"), .corrupt("x"), .unsupported("x"), .tooLarge("x"), .outOfMemory("x"),
        ]
        for error in errors {
            #expect(FailureClass(error).rawValue == error.failureClass)
        }
    }

    @Test func namesPrintAsStored() {
        #expect("\(FailureClass.diskFull)" == "disk_full")
        #expect(FailureClass(stored: "host_paused") == .hostPaused)
        #expect(FailureClass(stored: "something newer").rawValue == "something newer")
        #expect(FailureClass(stored: nil) == .other)
    }
}
