import ArgumentParser
import Foundation
import MirrorImaging
import MirrorStore

/// `mediamirror thumbnail`: the sync's thumbnailer on files, to check settings or benchmark it.
struct ThumbnailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thumbnail",
        abstract: "Make thumbnails of image files exactly as sync does (never upscaled, EXIF orientation applied)."
    )

    @Option(name: .long, help: "A width in pixels; repeat for several.")
    var width: [Int] = [320]

    @Option(name: .long, help: ArgumentHelp("Where to write the thumbnails.", valueName: "DIR"))
    var out = "."

    @Option(
        name: .long, help: "Quality of the format written (JPEG, or WebP/AVIF with --format webp/avif), 1 to 100.")
    var quality: Int?

    @Option(name: .long, help: "AVIF encoder speed, 0 (slowest, smallest) to 10 (fastest).")
    var avifSpeed = 8

    @Flag(name: .long, help: "Keep an animated GIF's or WebP's animation in WebP thumbnails (with --format webp).")
    var animated = false

    @Option(name: .long, help: "With --animated: an animation with more frames gets a still thumbnail.")
    var maxFrames = 500

    @Option(
        name: .long, help: "Largest image (width × height) held to decode (a sequential JPEG at its DCT-scaled size).")
    var maxPixels = 100_000_000

    @Option(
        name: .long,
        help:
            "auto: JPEG unless transparent; same: PNG from PNG, GIF, WebP and AVIF, JPEG from JPEG; jpeg, png, webp or avif as named."
    )
    var format = "auto"

    @Flag(
        name: .long,
        help: "Name each output after its input (one --width only); an image narrower than the width is copied as is.")
    var keepNames = false

    @Argument(help: ArgumentHelp("Image files.", valueName: "FILE"))
    var files: [String]

    func validate() throws {
        guard width.allSatisfy({ (1...16384).contains($0) }) else { throw ValidationError("--width: 1 to 16384") }
        guard (1...100).contains(quality ?? 82) else { throw ValidationError("--quality: 1 to 100") }
        guard !keepNames || width.count == 1 else { throw ValidationError("--keep-names takes exactly one --width") }
        guard Thumbnailer.Output(rawValue: format) != nil else {
            throw ValidationError("--format: auto, same, jpeg, png, webp or avif")
        }
        guard (0...10).contains(avifSpeed) else { throw ValidationError("--avif-speed: 0 to 10") }
        guard maxFrames > 0 else { throw ValidationError("--max-frames: at least 1") }
    }

    func run() throws {
        let output = Thumbnailer.Output(rawValue: format) ?? .auto
        var thumbnailer = Thumbnailer(
            quality: output == .webp || output == .avif ? 82 : quality ?? 82, maxPixels: maxPixels, output: output,
            webpQuality: output == .webp ? quality ?? 80 : 80, avifQuality: output == .avif ? quality ?? 60 : 60,
            avifSpeed: avifSpeed)
        if animated { thumbnailer.animation = AnimationBudget(maxFrames: maxFrames) }
        do {
            try AtomicFile.makeDirectories(out)
        } catch {
            throw MirrorExit(code: MirrorExit.cannotRun, message: "--out: \(error)")
        }
        var failed = false
        for file in files {
            do {
                // Read as the sync reads a download: headers first, pixels straight from the file.
                let descriptor = open(file, O_RDONLY | O_CLOEXEC)
                guard descriptor >= 0 else { throw ImagingError.notAnImage("cannot be read") }
                defer { close(descriptor) }
                let image = try ImageFile(descriptor: descriptor)
                let probe = try image.probe()
                let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                let made = try thumbnailer.thumbnails(of: image, probe: probe, widths: width)
                if made.isEmpty {
                    if keepNames {
                        let target = (out as NSString).appendingPathComponent((file as NSString).lastPathComponent)
                        try AtomicFile.write(image.bytes(), to: target)
                        print("\(file) → \(target) (narrower than \(width[0]): copied, never upscaled)")
                    } else {
                        print("\(file): narrower than every --width; nothing to do (never upscaled)")
                    }
                }
                for thumbnail in made {
                    let name =
                        keepNames
                        ? "\(stem).\(thumbnail.format.fileExtension)"
                        : "\(stem)-\(thumbnail.width)w.\(thumbnail.format.fileExtension)"
                    let target = (out as NSString).appendingPathComponent(name)
                    try AtomicFile.write(thumbnail.bytes, to: target)
                    print("\(file) → \(target) \(thumbnail.width)x\(thumbnail.height)")
                }
            } catch {
                print("\(file): \(error)")
                failed = true
            }
        }
        if failed { throw MirrorExit(code: MirrorExit.someFailed, message: nil) }
    }
}
