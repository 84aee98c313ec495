import Foundation
import HLSPlaylist

/// Publishes a rendition while its ingest runs (SPEC: "each media playlist is a growing EVENT
/// playlist that gains a segment as soon as that segment is complete").
///
/// After every completed segment the media and I-frame playlists and the manifest are
/// republished. The first segment makes the asset live together with its master playlist and
/// init segment; completion turns the playlists `VOD` and the manifest `ready`.
///
/// Not Sendable: owned by the ingest, like the writer it reads.
struct LivePublication {
    let request: IngestRequest
    let publisher: AssetPublisher
    let writer: SegmentWriter
    let selection: [StreamInfo]
    let source: AssetManifest.Source
    /// Fixed before the first playlist is published.
    private(set) var targetDuration: Int
    /// The container's overall bit rate: a floor for the master's BANDWIDTH until every segment is measured.
    let declaredBitRate: Int64?
    private let created = Timestamp.iso8601(Date())
    private var warnedAboutTarget = false

    private var renditionName: String { IngestPipeline.renditionName }
    private var hasVideo: Bool { selection.contains { $0.type == .video } }

    init(
        request: IngestRequest, publisher: AssetPublisher, writer: SegmentWriter, selection: [StreamInfo],
        source: AssetManifest.Source, targetDuration: Int, declaredBitRate: Int64?
    ) {
        self.request = request
        self.publisher = publisher
        self.writer = writer
        self.selection = selection
        self.source = source
        self.targetDuration = targetDuration
        self.declaredBitRate = declaredBitRate
    }

    /// Publishes the segment the writer just finished.
    mutating func segmentCompleted(mediaTime: Double, notice: (String) -> Void) throws(IngestError) {
        checkTargetDuration(notice: notice)
        try writePlaylists(complete: false)
        let rendition = renditionEntry(complete: false)
        if publisher.isLive {
            try writeManifest(.ingesting, rendition: rendition, duration: mediaTime)
            return
        }
        try writeMaster(rendition)
        try writeManifest(.ingesting, rendition: rendition, duration: mediaTime)
        try publisher.goLive()
        writer.relocate(to: publisher.root.appendingPathComponent(renditionName, isDirectory: true))
    }

    /// Publishes the finished asset: VOD playlists, a master with measured bit rates, a
    /// `ready` manifest; then releases the asset.
    mutating func complete(duration: Double, notice: (String) -> Void) throws(IngestError) -> AssetManifest.Rendition {
        checkTargetDuration(notice: notice)
        // Only a live input can overrun the target; a lasting VOD playlist should at least be valid.
        targetDuration = max(targetDuration, MediaPlaylist.minimumTargetDuration(forSegmentDurations: writer.segments.map(\.duration)))
        try writePlaylists(complete: true)
        let rendition = renditionEntry(complete: true)
        try writeMaster(rendition)
        try writeManifest(.ready, rendition: rendition, duration: duration)
        try publisher.goLive()
        publisher.finish()
        return rendition
    }

    /// A segment longer than the declared target can only come from an input read once (standard
    /// input) whose keyframes are further apart than the segment duration.
    private mutating func checkTargetDuration(notice: (String) -> Void) {
        guard !warnedAboutTarget, let segment = writer.segments.last,
              MediaPlaylist.minimumTargetDuration(forSegmentDurations: [segment.duration]) > targetDuration else { return }
        warnedAboutTarget = true
        notice("\(request.inputDescription): segment \(segment.index) lasts \(String(format: "%.3f", segment.duration)) s, over the playlist's target duration of \(targetDuration) s (keyframes further apart than --segment-duration)")
    }

    private func writePlaylists(complete: Bool) throws(IngestError) {
        let builder = builder(complete: complete)
        try publisher.write(Data(builder.mediaPlaylist().render().utf8), to: "\(renditionName)/index.m3u8")
        if hasVideo {
            try publisher.write(Data(builder.iFramePlaylist().render().utf8), to: "\(renditionName)/iframes.m3u8")
        }
    }

    private func builder(complete: Bool) -> PlaylistBuilder {
        PlaylistBuilder(
            segments: writer.segments, initSection: writer.initSection, singleFile: request.singleFile,
            targetDuration: targetDuration, complete: complete
        )
    }

    private func writeManifest(_ state: AssetManifest.State, rendition: AssetManifest.Rendition, duration: Double) throws(IngestError) {
        let manifest = AssetManifest(
            name: request.name, state: state, source: source,
            duration: duration, format: request.format, segmentDuration: request.segmentDuration,
            targetDuration: targetDuration, singleFile: request.singleFile, master: "master.m3u8",
            renditions: [rendition], created: created
        )
        let data: Data
        do {
            data = try manifest.encoded()
        } catch {
            throw .write(path: publisher.root.appendingPathComponent("manifest.json").path, reason: "\(error)")
        }
        try publisher.write(data, to: "manifest.json")
    }

    private func writeMaster(_ rendition: AssetManifest.Rendition) throws(IngestError) {
        let resolution = rendition.width.flatMap { width in rendition.height.map { Resolution(width: width, height: $0) } }
        let variant = VariantStream(
            uri: rendition.playlist,
            bandwidth: rendition.bandwidth,
            averageBandwidth: rendition.averageBandwidth,
            codecs: rendition.codecs,
            resolution: resolution,
            frameRate: rendition.frameRate,
            closedCaptions: ClosedCaptions.none
        )
        var iFrameStreams: [IFrameStream] = []
        if let iFramePlaylist = rendition.iFramePlaylist {
            let iFrames = builder(complete: true).iFramePlaylist()
            let rates = PlaylistBuilder.bitRates(iFrames.segments.map { (Int64($0.byteRange?.length ?? 0), $0.duration) })
            iFrameStreams.append(IFrameStream(
                uri: iFramePlaylist,
                bandwidth: rates.peak,
                averageBandwidth: rates.average,
                codecs: Array(rendition.codecs.prefix(1)),
                resolution: resolution
            ))
        }
        let master = MultivariantPlaylist(independentSegments: true, variants: [variant], iFrameStreams: iFrameStreams)
        try publisher.write(Data(master.render().utf8), to: "master.m3u8")
    }

    private func renditionEntry(complete: Bool) -> AssetManifest.Rendition {
        let video = selection.first { $0.type == .video }
        var rates = PlaylistBuilder.bitRates(writer.segments.map { ($0.length, $0.duration) })
        if !complete, let declaredBitRate {
            // A few segments in, the peak is a guess; the container's figure keeps it from being a low one.
            rates.peak = max(rates.peak, Int(declaredBitRate))
        }
        return AssetManifest.Rendition(
            name: renditionName,
            playlist: "\(renditionName)/index.m3u8",
            iFramePlaylist: video == nil ? nil : "\(renditionName)/iframes.m3u8",
            bandwidth: rates.peak,
            averageBandwidth: rates.average,
            codecs: selection.compactMap(CodecString.make(for:)),
            width: video?.width,
            height: video?.height,
            frameRate: video.flatMap { $0.averageFrameRate.isUnknown ? nil : ($0.averageFrameRate.doubleValue * 1000).rounded() / 1000 },
            segments: writer.segments.count
        )
    }
}
