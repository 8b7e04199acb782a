import Foundation
import MirrorPosts

/// Everything the post scanner, the tokenizer and the URL resolver say about each file of a
/// directory, one line per fact, so two builds can be compared byte for byte (a speed-up of the
/// scanner must not change a single reference, range, value or problem).
enum ScanDump {
    static let scanners = [
        ScanBenchmark.scanner,
        ReferenceScanner(
            frontMatterKeys: ["headimg", "thumbnail", "images", "cover"],
            resolver: ImageURLResolver(
                unwrapPrefixes: ["https://cors.zfour.workers.dev/?", "https://wsrv.nl/?url="],
                baseURL: "https://blog.example.net/a/", localPrefix: "/m/")),
    ]

    static func run(directory: String, output: String) throws {
        let files = (FileManager.default.enumerator(atPath: directory)?.compactMap { $0 as? String } ?? []).sorted()
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: output) else { return }
        defer { try? handle.close() }
        for relative in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(relative)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            let bytes = try [UInt8](Data(contentsOf: url))
            var lines: [String] = ["== \(relative)"]
            for (number, scanner) in scanners.enumerated() {
                for isMarkdown in [true, false] {
                    let scan = scanner.scan(bytes, isMarkdown: isMarkdown)
                    lines.append("scan \(number) md=\(isMarkdown)")
                    for reference in scan.references { lines.append(describe(reference)) }
                    for problem in scan.problems { lines.append("problem \(problem.debugDescription)") }
                    for tag in scanner.imageElements(in: bytes, isMarkdown: isMarkdown) {
                        lines.append("element \(describe(tag))")
                    }
                }
                lines.append("resolve \(number) \(scanner.resolver.resolve(String(decoding: bytes, as: UTF8.self)))")
            }
            for tag in HTMLTokenizer.startTags(in: bytes) { lines.append("tag \(describe(tag))") }
            handle.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }

    static func describe(_ reference: ImageReference) -> String {
        "ref \(reference.place) \(reference.valueRange) raw=\(reference.rawValue.debugDescription) "
            + "value=\(reference.value.debugDescription) target=\(String(describing: reference.target)) "
            + "skip=\(String(describing: reference.skipReason?.description)) size=\(String(describing: reference.declaredSize)) "
            + "line=\(reference.line) encoding=\(reference.encoding)"
    }

    static func describe(_ tag: HTMLStartTag) -> String {
        let attributes = tag.attributes.map { attribute in
            "\(attribute.name.debugDescription)@\(attribute.nameRange)=\(String(describing: attribute.valueRange))"
                + "/\(String(describing: attribute.quote))/\(attribute.value.debugDescription)"
        }
        return "\(tag.name.debugDescription) \(tag.range) [\(attributes.joined(separator: ", "))]"
    }
}
