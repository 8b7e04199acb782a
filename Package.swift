// swift-tools-version: 6.2
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    // A file sees the members of the modules it imports, not of whatever they import.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "mediamirror",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mediamirror", targets: ["mediamirror"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML", "Reloading"]),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // System libraries. Each module map names a one-line shim header, because some of these
        // headers (jpeglib.h) do not include what they need.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CJPEG",
            pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg-dev"])]
        ),
        .systemLibrary(
            name: "CPNG",
            pkgConfig: "libpng",
            providers: [.apt(["libpng-dev"])]
        ),
        .systemLibrary(
            name: "CWebP",
            pkgConfig: "libwebpmux libwebpdemux",
            providers: [.apt(["libwebp-dev"])]
        ),
        // libavif's pkg-config file adds -DAVIF_DLL, which SwiftPM refuses with a warning: the
        // module map links it by name instead (its header is in the default include path).
        .systemLibrary(
            name: "CAVIF",
            providers: [.apt(["libavif-dev"])]
        ),
        // giflib ships no pkg-config file in Debian 12: the module map links it by name.
        .systemLibrary(
            name: "CGIF",
            providers: [.apt(["libgif-dev"])]
        ),
        // The C wall, one module per concern, each imported `internal` by the one Swift module
        // that needs it: typed curl_easy_setopt/getinfo wrappers (the originals are variadic),
        // setjmp-guarded libjpeg/libpng calls (their errors longjmp, which must never cross
        // Swift), and the system calls glibc does not wrap.
        .target(
            name: "CCurlShims",
            dependencies: ["CCurl"]
        ),
        .target(
            name: "CCodecShims",
            dependencies: ["CJPEG", "CPNG", "CWebP", "CGIF", "CAVIF"],
            linkerSettings: [.linkedLibrary("gif"), .linkedLibrary("avif")]
        ),
        .target(
            name: "CSystemShims"
        ),
        .target(
            name: "MirrorConfig",
            dependencies: [
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MirrorPosts",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "MirrorFetch",
            dependencies: [
                "CCurlShims",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // An S3-compatible bucket through the libcurl engine: SigV4 signing, PUT/HEAD/GET/DELETE.
        .target(
            name: "MirrorBucket",
            dependencies: [
                "MirrorFetch",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        // Optimised in debug builds too: unoptimised SIMD resampling is some 50 times slower,
        // and the tests push real photos through it.
        .target(
            name: "MirrorImaging",
            dependencies: ["CCodecShims", "CSystemShims"],
            swiftSettings: strict + [.unsafeFlags(["-O"], .when(configuration: .debug))]
        ),
        .target(
            name: "MirrorStore",
            dependencies: [
                "CSystemShims",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "MirrorEngine",
            dependencies: [
                "CSystemShims", "MirrorConfig", "MirrorPosts", "MirrorFetch", "MirrorImaging", "MirrorStore",
                "MirrorBucket",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The long-running service: watcher, scheduler, sync worker, health/metrics server and
        // systemd notifier, run as one swift-service-lifecycle ServiceGroup.
        .target(
            name: "MirrorDaemon",
            dependencies: [
                "MirrorConfig", "MirrorEngine", "MirrorImaging", "MirrorStore",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "mediamirror",
            dependencies: [
                "MirrorDaemon", "MirrorEngine", "MirrorImaging", "MirrorStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The benchmark harness's measuring program; Benchmarks/run.py drives it beside the anchors.
        .executableTarget(
            name: "mediamirror-bench",
            dependencies: [
                "MirrorPosts", "MirrorFetch", "MirrorBucket", .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Benchmarks/mediamirror-bench",
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorPostsTests",
            dependencies: ["MirrorPosts", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorImagingTests",
            dependencies: [
                "MirrorImaging", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorFetchTests",
            dependencies: [
                "MirrorFetch", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorEngineTests",
            dependencies: ["MirrorEngine", "MirrorConfig", "MirrorPosts", "MirrorStore", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorBucketTests",
            dependencies: ["MirrorBucket", "MirrorFetch", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorStoreTests",
            dependencies: ["MirrorStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorDaemonTests",
            dependencies: ["MirrorDaemon", "MirrorConfig", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "MirrorConfigTests",
            dependencies: ["MirrorConfig", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "mediamirror", "MirrorConfig", "MirrorImaging", "MirrorStore", "MirrorPosts", "MirrorBucket",
                "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TestSupport",
            dependencies: ["MirrorImaging", "MirrorPosts", "MirrorFetch"],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
    ]
)

// Fuzz targets, built only on request because libFuzzer supplies `main`:
//   MEDIAMIRROR_FUZZ=1 swift build --product FuzzPosts -Xswiftc -sanitize=fuzzer,address
// (BENCHMARKS.md has the full commands and how long they run.)
if Context.environment["MEDIAMIRROR_FUZZ"] != nil {
    package.products += [
        .executable(name: "FuzzPosts", targets: ["FuzzPosts"]),
        .executable(name: "FuzzProbes", targets: ["FuzzProbes"]),
    ]
    package.targets += [
        .target(name: "CFuzz", path: "Fuzz/CFuzz"),
        .executableTarget(
            name: "FuzzPosts", dependencies: ["MirrorPosts", "CFuzz"], path: "Fuzz/FuzzPosts", swiftSettings: strict),
        .executableTarget(
            name: "FuzzProbes", dependencies: ["MirrorImaging", "CFuzz"], path: "Fuzz/FuzzProbes", swiftSettings: strict
        ),
    ]
}
