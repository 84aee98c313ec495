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
    ],
    targets: [
        // The C surface of FFmpeg: headers plus a shim that re-exports the macros Swift cannot import.
        .systemLibrary(
            name: "CFFmpeg",
            pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libavutil-dev"])]
        ),
        // Linux system calls Glibc does not export to Swift (renameat2).
        .target(name: "CReelLinux"),
        // FFmpeg wrappers, probing and the segmenting pipeline.
        .target(name: "Segmenter", dependencies: ["CFFmpeg", "CReelLinux", "HLSPlaylist"]),
        // Pure HLS playlist model, writer, parser and RFC 8216 checks; no FFmpeg.
        .target(name: "HLSPlaylist"),
        // The HTTP layer; never calls FFmpeg.
        .target(name: "HLSServer", dependencies: ["HLSPlaylist"]),
        .executableTarget(
            name: "reel",
            dependencies: [
                "Segmenter",
                "HLSPlaylist",
                "HLSServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Fixture paths, process running and ffprobe access shared by the test targets.
        .target(name: "ReelTestSupport", path: "Tests/ReelTestSupport"),
        .testTarget(name: "SegmenterTests", dependencies: ["Segmenter", "ReelTestSupport"]),
        .testTarget(name: "HLSPlaylistTests", dependencies: ["HLSPlaylist"]),
        .testTarget(name: "HLSServerTests", dependencies: ["HLSServer", "ReelTestSupport"]),
        // Runs the built `reel` binary against the committed fixtures.
        .testTarget(name: "EndToEndTests", dependencies: ["reel", "HLSPlaylist", "ReelTestSupport"]),
    ]
)
