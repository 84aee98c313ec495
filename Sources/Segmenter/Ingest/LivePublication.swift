import Foundation
import HLSPlaylist

/// Publishes an asset's renditions while its ingest runs (SPEC: "each media playlist is a
/// growing EVENT playlist that gains a segment as soon as that segment is complete").
///
/// Renditions are published in step: segment N appears in every media playlist once every
/// rendition has completed it, so a player switching variants finds the same segments in each.
/// The first such segment makes the asset live together with its master playlist and init
/// segments; completion turns the playlists `VOD` and the manifest `ready`.
///
/// Not Sendable: owned by the ingest's coordinating thread.
struct LivePublication {
    let request: IngestRequest
    let publisher: AssetPublisher
    let location: AssetLocation
    /// Variants first (highest first), then alternate renditions.
    private(set) var outlines: [RenditionOutline]
    let source: AssetManifest.Source
    /// Fixed before the first playlist is published.
    private(set) var targetDuration: Int
    private let created = Timestamp.iso8601(Date())
    private var warnedAboutTarget = false
    /// Segments per rendition in the playlists published so far.
    private(set) var publishedCount = 0

    init(
        request: IngestRequest, publisher: AssetPublisher, location: AssetLocation, outlines: [RenditionOutline],
        source: AssetManifest.Source, targetDuration: Int
    ) {
        self.request = request
        self.publisher = publisher
        self.location = location
        self.outlines = outlines
        self.source = source
        self.targetDuration = targetDuration
    }

    /// Sets a rendition's codec strings, when they become known only with its first segment.
    mutating func setCodecs(_ codecs: [String], ofRendition index: Int) {
        outlines[index].codecs = codecs
    }

    /// Publishes the segments every rendition has completed (`written` is in `outlines` order).
    mutating func segmentsCompleted(_ written: [RenditionSegments], mediaTime: Double, notice: (String) -> Void) throws(IngestError) {
        let count = written.map(\.segments.count).min() ?? 0
        guard count > publishedCount else { return }
        publishedCount = count
        let shown = written.map { RenditionSegments(segments: Array($0.segments.prefix(count)), initSection: $0.initSection) }
        checkTargetDuration(shown, notice: notice)
        try writePlaylists(shown, complete: false)
        let renditions = renditionEntries(shown, complete: false)
        if !publisher.isLive { try writeMaster(renditions, shown) }
        try writeManifest(.ingesting, renditions: renditions, duration: mediaTime)
        if !publisher.isLive {
            try location.move { () throws(IngestError) -> URL in
                try publisher.goLive()
                return publisher.root
            }
        }
    }

    /// Publishes the finished asset: VOD playlists, a master with measured bit rates, a
    /// `ready` manifest; then releases the asset.
    mutating func complete(_ written: [RenditionSegments], duration: Double, notice: (String) -> Void) throws(IngestError) -> [AssetManifest.Rendition] {
        checkTargetDuration(written, notice: notice)
        // Only a live input can overrun the target; a lasting VOD playlist should at least be valid.
        let longest = written.flatMap { $0.segments.map(\.duration) }
        targetDuration = max(targetDuration, MediaPlaylist.minimumTargetDuration(forSegmentDurations: longest))
        try writePlaylists(written, complete: true)
        let renditions = renditionEntries(written, complete: true)
        publishedCount = written.map(\.segments.count).max() ?? 0
        try writeMaster(renditions, written)
        try writeManifest(.ready, renditions: renditions, duration: duration)
        try location.move { () throws(IngestError) -> URL in
            try publisher.goLive()
            return publisher.root
        }
        publisher.finish()
        return renditions
    }

    /// A segment longer than the declared target can only come from an input read once (standard
    /// input) whose keyframes are further apart than the segment duration.
    private mutating func checkTargetDuration(_ written: [RenditionSegments], notice: (String) -> Void) {
        guard !warnedAboutTarget else { return }
        for (outline, rendition) in zip(outlines, written) {
            guard let segment = rendition.segments.last,
                  MediaPlaylist.minimumTargetDuration(forSegmentDurations: [segment.duration]) > targetDuration else { continue }
            warnedAboutTarget = true
            notice("\(request.inputDescription): \(outline.name) segment \(segment.index) lasts \(String(format: "%.3f", segment.duration)) s, over the playlist's target duration of \(targetDuration) s (keyframes further apart than --segment-duration)")
            return
        }
    }

    private func writePlaylists(_ written: [RenditionSegments], complete: Bool) throws(IngestError) {
        for (outline, rendition) in zip(outlines, written) {
            let builder = builder(rendition, complete: complete)
            try publisher.write(Data(builder.mediaPlaylist().render().utf8), to: outline.playlist)
            if let iFrames = outline.iFramePlaylist {
                try publisher.write(Data(builder.iFramePlaylist().render().utf8), to: iFrames)
            }
        }
    }

    private func builder(_ rendition: RenditionSegments, complete: Bool) -> PlaylistBuilder {
        PlaylistBuilder(
            segments: rendition.segments, initSection: rendition.initSection, singleFile: request.singleFile,
            targetDuration: targetDuration, complete: complete
        )
    }

    private func writeManifest(_ state: AssetManifest.State, renditions: [AssetManifest.Rendition], duration: Double) throws(IngestError) {
        let manifest = AssetManifest(
            name: request.name, state: state, source: source,
            duration: duration, format: request.format, segmentDuration: request.segmentDuration,
            targetDuration: targetDuration, singleFile: request.singleFile, master: "master.m3u8",
            renditions: renditions, created: created
        )
        let data: Data
        do {
            data = try manifest.encoded()
        } catch {
            throw .write(path: publisher.root.appendingPathComponent("manifest.json").path, reason: "\(error)")
        }
        try publisher.write(data, to: "manifest.json")
    }

    private func writeMaster(_ renditions: [AssetManifest.Rendition], _ written: [RenditionSegments]) throws(IngestError) {
        var variants: [VariantStream] = []
        var media: [Rendition] = []
        var iFrameStreams: [IFrameStream] = []
        for (index, rendition) in renditions.enumerated() {
            let resolution = rendition.width.flatMap { width in rendition.height.map { Resolution(width: width, height: $0) } }
            if let group = rendition.group {
                media.append(Rendition(
                    type: .audio, groupId: group, name: rendition.name, isDefault: true, autoselect: true,
                    channels: outlines[index].channels.map(String.init), uri: rendition.playlist
                ))
                continue
            }
            variants.append(VariantStream(
                uri: rendition.playlist,
                bandwidth: rendition.bandwidth,
                averageBandwidth: rendition.averageBandwidth,
                codecs: rendition.codecs,
                resolution: resolution,
                frameRate: rendition.frameRate,
                audio: rendition.audioGroup,
                closedCaptions: ClosedCaptions.none
            ))
            if let iFramePlaylist = rendition.iFramePlaylist {
                let iFrames = builder(written[index], complete: true).iFramePlaylist()
                let rates = PlaylistBuilder.bitRates(iFrames.segments.map { (Int64($0.byteRange?.length ?? 0), $0.duration) })
                iFrameStreams.append(IFrameStream(
                    uri: iFramePlaylist,
                    bandwidth: rates.peak,
                    averageBandwidth: rates.average,
                    codecs: Array(outlines[index].codecs.prefix(1)),
                    resolution: resolution
                ))
            }
        }
        let master = MultivariantPlaylist(independentSegments: true, media: media, variants: variants, iFrameStreams: iFrameStreams)
        try publisher.write(Data(master.render().utf8), to: "master.m3u8")
    }

    /// The manifest's renditions: measured bit rates; a variant that takes its audio from a
    /// group counts that audio too (its BANDWIDTH is what a player downloads to play it).
    private func renditionEntries(_ written: [RenditionSegments], complete: Bool) -> [AssetManifest.Rendition] {
        let rates = zip(outlines, written).map { outline, rendition in
            var rates = PlaylistBuilder.bitRates(rendition.segments.map { ($0.length, $0.duration) })
            if !complete, let nominal = outline.nominalBitRate {
                // A few segments in, the peak is a guess; the nominal figure keeps it from being a low one.
                rates.peak = max(rates.peak, nominal)
            }
            return rates
        }
        return outlines.enumerated().map { index, outline in
            var own = rates[index]
            var codecs = outline.codecs
            if let audioGroup = outline.audioGroup,
               let member = outlines.firstIndex(where: { $0.group == audioGroup }) {
                own.peak += rates[member].peak
                own.average += rates[member].average
                codecs += outlines[member].codecs
            }
            return AssetManifest.Rendition(
                name: outline.name,
                playlist: outline.playlist,
                iFramePlaylist: outline.iFramePlaylist,
                bandwidth: own.peak,
                averageBandwidth: own.average,
                codecs: codecs,
                width: outline.width,
                height: outline.height,
                frameRate: outline.frameRate.map { ($0 * 1000).rounded() / 1000 },
                segments: written[index].segments.count,
                group: outline.group,
                audioGroup: outline.audioGroup
            )
        }
    }
}
