// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "reel",
    products: [
        .executable(name: "reel", targets: ["reel"]),
        .library(name: "Segmenter", targets: ["Segmenter"]),
        .library(name: "HLSPlaylist", targets: ["HLSPlaylist"]),
        .library(name: "HLSServer", targets: ["HLSServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
    ],
    targets: [
        // The C surface of FFmpeg: headers plus a shim that re-exports the macros Swift cannot import.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev", "libswscale-dev", "libswresample-dev"])]
        ),
        // OpenSSL's libcrypto: AES-128-CBC with AES-NI for encrypted segments, HMAC-SHA256 for signed URLs.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // The cryptography Reel uses (segment encryption, URL signatures, random keys), over COpenSSL.
        .target(name: "ReelCrypto", dependencies: ["COpenSSL"]),
        // Linux system calls Glibc does not export to Swift (renameat2, openat2).
        .target(name: "CReelLinux"),
        // inotify on a thread of its own: the watch folder's and the blocking reloads' one source of change.
        .target(name: "DirectoryWatch"),
        // ISO base media file format box headers: one walker for the segmenter and the server.
        .target(name: "ISOBMFF"),
        // FFmpeg wrappers, probing, the segmenting pipeline and the watch folder.
        .target(
            name: "Segmenter",
            dependencies: ["CFFmpeg", "CReelLinux", "DirectoryWatch", "HLSPlaylist", "ISOBMFF", "ReelCrypto", .product(name: "Logging", package: "swift-log")]
        ),
        // Pure HLS playlist model, writer, parser and RFC 8216 checks; no FFmpeg.
        .target(name: "HLSPlaylist"),
        // The HTTP layer; never calls FFmpeg.
        .target(
            name: "HLSServer",
            dependencies: [
                "HLSPlaylist",
                "ISOBMFF",
                "CReelLinux",
                "ReelCrypto",
                "DirectoryWatch",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "reel",
            dependencies: [
                "Segmenter",
                "HLSPlaylist",
                "HLSServer",
                "ReelCrypto",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Fixture paths, process running and ffprobe access shared by the test targets.
        .target(
            name: "ReelTestSupport",
            dependencies: [
                "HLSPlaylist",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/ReelTestSupport"
        ),
        .testTarget(name: "SegmenterTests", dependencies: ["Segmenter", "DirectoryWatch", "HLSPlaylist", "ReelCrypto", "ReelTestSupport"]),
        .testTarget(name: "HLSPlaylistTests", dependencies: ["HLSPlaylist"]),
        .testTarget(name: "ISOBMFFTests", dependencies: ["ISOBMFF"]),
        .testTarget(name: "ReelCryptoTests", dependencies: ["ReelCrypto"]),
        .testTarget(
            name: "HLSServerTests",
            dependencies: [
                "HLSServer",
                "HLSPlaylist",
                "ReelTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Runs the built `reel` binary against the committed fixtures.
        .testTarget(name: "EndToEndTests", dependencies: ["reel", "HLSPlaylist", "ISOBMFF", "ReelCrypto", "ReelTestSupport"]),
    ]
)
