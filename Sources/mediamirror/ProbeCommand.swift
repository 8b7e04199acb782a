import ArgumentParser
import Foundation
import MirrorImaging
import MirrorStore

/// `mediamirror probe`: what the sync sees of image files, from their headers.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show the type, stored size, EXIF orientation, displayed size and frames of image files."
    )

    @Flag(name: .long, help: "Print one JSON object per file, one per line.")
    var json = false

    @Argument(help: ArgumentHelp("Image files.", valueName: "FILE"))
    var files: [String]

    struct Line: Encodable {
        var file: String
        var format: String?
        var width: Int?
        var height: Int?
        var orientation: Int?
        var displayedWidth: Int?
        var displayedHeight: Int?
        var frames: Int?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case file, format, width, height, orientation, frames, error
            case displayedWidth = "displayed_width"
            case displayedHeight = "displayed_height"
        }
    }

    func run() throws {
        var failed = false
        for file in files {
            var line = Line(file: file)
            do {
                guard let data = FileBytes.read(file) else {
                    throw ImagingError.notAnImage("cannot be read")
                }
                let probe = try ImageProber.probe([UInt8](data))
                line.format = probe.format.rawValue
                line.width = probe.width
                line.height = probe.height
                line.orientation = probe.orientation
                line.displayedWidth = probe.displayedWidth
                line.displayedHeight = probe.displayedHeight
                line.frames = probe.frames
            } catch {
                line.error = "\(error)"
                failed = true
            }
            if json {
                JSONOutput.print(line)
            } else if let error = line.error {
                print("\(file): \(error)")
            } else {
                print(
                    "\(file): \(line.format ?? "") \(line.width ?? 0)x\(line.height ?? 0), orientation \(line.orientation ?? 1), "
                        + "displayed \(line.displayedWidth ?? 0)x\(line.displayedHeight ?? 0), \(line.frames ?? 1) frame(s)"
                )
            }
        }
        if failed { throw MirrorExit(code: MirrorExit.someFailed, message: nil) }
    }
}
