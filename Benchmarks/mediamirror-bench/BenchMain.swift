import Foundation

/// `mediamirror-bench scan CORPUS_DIR COPIES`: one measurement, printed as one JSON line.
/// `mediamirror-bench dump DIR OUT`: every scan fact about every file, to compare two builds.
/// `mediamirror-bench urls CORPUS_DIR`: the distinct URLs a sync of the corpus would fetch.
/// `mediamirror-bench fetch URL_LIST OUT_DIR CONCURRENCY`: downloads with the fetch engine.
/// `mediamirror-bench upload ENDPOINT BUCKET PREFIX DIR CONCURRENCY`: uploads with the bucket engine.
/// Benchmarks/run.py runs it many times beside the anchor tools and reports medians and ratios.
@main
enum BenchMain {
    static func main() async throws {
        let arguments = CommandLine.arguments
        if arguments.count == 5, arguments[1] == "fetch", let concurrency = Int(arguments[4]) {
            let result = try await FetchBenchmark.run(
                listing: arguments[2], output: arguments[3], concurrency: concurrency)
            print(
                #"{"files": \#(result.files), "bytes": \#(result.bytes), "failures": \#(result.failures), "seconds": \#(result.seconds)}"#
            )
            return
        }
        if arguments.count == 7, arguments[1] == "upload", let concurrency = Int(arguments[6]) {
            let result = try await UploadBenchmark.run(
                endpoint: arguments[2], bucket: arguments[3], prefix: arguments[4], directory: arguments[5],
                concurrency: concurrency)
            print(#"{"files": \#(result.files), "bytes": \#(result.bytes), "seconds": \#(result.seconds)}"#)
            return
        }
        if arguments.count == 4, arguments[1] == "dump" {
            try ScanDump.run(directory: arguments[2], output: arguments[3])
            return
        }
        if arguments.count == 3, arguments[1] == "urls" {
            for url in try ScanBenchmark.urls(corpus: arguments[2]) { print(url) }
            return
        }
        guard arguments.count == 4, arguments[1] == "scan", let copies = Int(arguments[3]) else {
            FileHandle.standardError.write(Data("usage: mediamirror-bench scan CORPUS_DIR COPIES\n".utf8))
            exit(2)
        }
        let result = try ScanBenchmark.run(corpus: arguments[2], copies: copies)
        print(#"{"bytes": \#(result.bytes), "seconds": \#(result.seconds), "references": \#(result.references)}"#)
    }
}
