import MirrorConfig
import MirrorImaging
import MirrorStore

/// The thumbnails `thumbnails.*` asks for: each width below an image's displayed width, in each
/// output. Says whether an asset's recorded thumbnails are complete and which ones are no longer
/// asked for, so a change of widths or formats is made good on the next sync and by `gc`.
struct ThumbnailPlan: Sendable {
    let widths: [Int]
    let outputs: [Thumbnailer.Output]

    init(configuration: MirrorConfiguration) {
        widths = configuration.thumbnails.widths
        outputs = configuration.thumbnails.formats.compactMap(Thumbnailer.Output.init(rawValue:))
    }

    /// Changes whenever the set of thumbnails asked for changes (not with qualities: a new
    /// quality applies to thumbnails made from then on).
    var fingerprint: String {
        "widths=\(widths.sorted().map(String.init).joined(separator: ","));"
            + "formats=\(outputs.map(\.rawValue).joined(separator: ","))"
    }

    /// The widths an image of `displayedWidth` gets (it is never upscaled).
    func widths(below displayedWidth: Int) -> [Int] {
        Array(Set(widths.filter { $0 < displayedWidth })).sorted()
    }

    /// Whether every width in every output is among `thumbnails` (those whose files exist).
    func isComplete(_ thumbnails: [ThumbnailRecord], displayedWidth: Int) -> Bool {
        missingWidths(thumbnails, displayedWidth: displayedWidth).isEmpty
    }

    /// The widths some output lacks.
    func missingWidths(_ thumbnails: [ThumbnailRecord], displayedWidth: Int) -> [Int] {
        widths(below: displayedWidth).filter { width in
            let formats = Set(thumbnails.filter { $0.width == width }.map(\.format))
            return !outputs.allSatisfy { output in output.possibleFormats.contains { formats.contains($0.rawValue) } }
        }
    }

    /// A thumbnail of a width or format no longer asked for.
    func isUnwanted(_ thumbnail: ThumbnailRecord) -> Bool {
        !widths.contains(thumbnail.width)
            || !outputs.contains { $0.possibleFormats.contains { $0.rawValue == thumbnail.format } }
    }

    /// Of thumbnails several outputs could serve at one width, the first output's.
    func preferred(_ thumbnails: [ThumbnailRecord], width: Int) -> ThumbnailRecord? {
        let candidates = thumbnails.filter { $0.width == width }
        for output in outputs {
            for format in output.possibleFormats {
                if let match = candidates.first(where: { $0.format == format.rawValue }) { return match }
            }
        }
        return candidates.first
    }
}
