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
    /// Parts per rendition with parts in the playlists published so far (Low-Latency HLS).
    private(set) var publishedParts = 0

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
        try publish(shown, mediaTime: mediaTime, notice: notice)
    }

    /// Low-Latency HLS: publishes the parts every rendition with parts has completed, each
    /// rendition's playlist as it stood at that many parts (subtitles at as many segments as
    /// the others show). The asset goes live with its first complete segment, when the master
    /// has bit rates to state.
    mutating func partsCompleted(_ written: [RenditionSegments], mediaTime: Double, notice: (String) -> Void) throws(IngestError) {
        let parted = outlines.indices.filter { outlines[$0].hasParts }
        let count = parted.map { written[$0].partCount }.min() ?? 0
        guard count > publishedParts else { return }
        var shown = written
        for index in parted { shown[index] = written[index].prefix(parts: count) }
        let segments = parted.map { shown[$0].segments.count }.min() ?? 0
        guard segments > 0 || publisher.isLive else { return }
        for index in outlines.indices where !outlines[index].hasParts {
            shown[index] = RenditionSegments(segments: Array(written[index].segments.prefix(segments)), initSection: written[index].initSection)
        }
        let newSegments = segments > publishedCount
        publishedParts = count
        publishedCount = segments
        try publish(shown, mediaTime: mediaTime, notice: notice, newSegments: newSegments)
    }

    /// Writes the playlists; with new segments also the manifest (and, before the asset goes
    /// live, the master), which say nothing of parts.
    private mutating func publish(_ shown: [RenditionSegments], mediaTime: Double, notice: (String) -> Void, newSegments: Bool = true) throws(IngestError) {
        if newSegments { checkTargetDuration(shown, notice: notice) }
        try writePlaylists(shown, complete: false)
        guard newSegments else { return }
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
        for (index, (outline, rendition)) in zip(outlines, written).enumerated() {
            var builder = builder(rendition, of: outline, complete: complete)
            if !complete, outline.hasParts, let partDuration = request.partDuration {
                builder.lowLatency = lowLatency(of: index, in: written, partTarget: partDuration)
            }
            try publisher.write(Data(builder.mediaPlaylist().render().utf8), to: outline.playlist)
            if let iFrames = outline.iFramePlaylist {
                try publisher.write(Data(builder.iFramePlaylist().render().utf8), to: iFrames)
            }
        }
    }

    /// What a rendition's Low-Latency playlist adds: the part being written next (the hint) and
    /// where every other rendition with parts stands.
    private func lowLatency(of index: Int, in written: [RenditionSegments], partTarget: Double) -> PlaylistBuilder.LowLatency {
        let rendition = written[index]
        let next = LibraryLayout.part(
            rendition.pendingParts.count, ofSegment: rendition.segments.count, extension: request.format.segmentExtension, generation: publisher.generation
        )
        let reports = zip(outlines, written).enumerated().compactMap { other, entry -> RenditionReport? in
            let (outline, segments) = entry
            guard other != index, outline.hasParts else { return nil }
            let last = segments.pendingParts.isEmpty
                ? (segments.segments.count - 1, (segments.segments.last?.parts.count ?? 0) - 1)
                : (segments.segments.count, segments.pendingParts.count - 1)
            return RenditionReport(uri: "../" + outline.playlist, lastMediaSequence: max(0, last.0), lastPart: max(0, last.1))
        }
        return .init(partTarget: partTarget, nextPart: next, renditionReports: reports, pendingParts: rendition.pendingParts)
    }

    private func builder(_ rendition: RenditionSegments, of outline: RenditionOutline, complete: Bool) -> PlaylistBuilder {
        PlaylistBuilder(
            segments: rendition.segments, initSection: rendition.initSection, singleFile: outline.singleFile,
            targetDuration: targetDuration, complete: complete
        )
    }

    /// Writes the manifest. The first one, before the asset goes live, follows the links that
    /// keep a replaced asset's files (``AssetPublisher/keepPrevious()``): it records them.
    private func writeManifest(_ state: AssetManifest.State, renditions: [AssetManifest.Rendition], duration: Double) throws(IngestError) {
        if !publisher.isLive { try publisher.keepPrevious() }
        let manifest = AssetManifest(
            name: request.name, state: state, source: source,
            duration: duration, format: request.format, segmentDuration: request.segmentDuration,
            targetDuration: targetDuration, singleFile: request.singleFile, master: LibraryLayout.master,
            renditions: renditions, created: created, generation: publisher.generation, retained: publisher.retained,
            encryption: request.encryption?.method
        )
        let data: Data
        do {
            data = try manifest.encoded()
        } catch {
            throw .write(path: publisher.root.appendingPathComponent(LibraryLayout.manifest).path, reason: "\(error)")
        }
        try publisher.write(data, to: LibraryLayout.manifest)
    }

    private func writeMaster(_ renditions: [AssetManifest.Rendition], _ written: [RenditionSegments]) throws(IngestError) {
        let master = MultivariantPlaylist(
            independentSegments: true,
            media: zip(outlines, renditions).compactMap(Self.alternate),
            variants: variants(renditions),
            iFrameStreams: iFrameStreams(renditions, written)
        )
        try publisher.write(Data(master.render().utf8), to: LibraryLayout.master)
    }

    /// The `EXT-X-MEDIA` entry of an alternate rendition (nil for a variant).
    private static func alternate(_ outline: RenditionOutline, _ rendition: AssetManifest.Rendition) -> Rendition? {
        guard let group = outline.group else { return nil }
        return Rendition(
            type: outline.kind == .subtitles ? .subtitles : .audio, groupId: group,
            name: outline.title ?? outline.name, language: outline.language,
            isDefault: outline.isDefault, autoselect: true, forced: outline.forced,
            channels: outline.channels.map(String.init), uri: rendition.playlist
        )
    }

    /// The variants, highest first as the outlines are. Audio alone in several tracks has no
    /// variant of its own: the default track's playlist is the variant, naming its group.
    private func variants(_ renditions: [AssetManifest.Rendition]) -> [VariantStream] {
        var variants = renditions.filter { $0.group == nil }.map { rendition in
            VariantStream(
                uri: rendition.playlist, bandwidth: rendition.bandwidth, averageBandwidth: rendition.averageBandwidth,
                codecs: rendition.codecs, resolution: Self.resolution(rendition), frameRate: rendition.frameRate,
                audio: rendition.audioGroup, subtitles: rendition.subtitleGroup,
                closedCaptions: ClosedCaptions.none, videoRange: rendition.videoRange.flatMap(VideoRange.init(rawValue:))
            )
        }
        if variants.isEmpty, let lead = renditions.first(where: { $0.kind == .audio && $0.isDefault == true }) {
            let subtitles = renditions.first { $0.kind == .subtitles }?.group
            variants.append(VariantStream(
                uri: lead.playlist, bandwidth: lead.bandwidth, averageBandwidth: lead.averageBandwidth,
                codecs: lead.codecs, audio: lead.group, subtitles: subtitles, closedCaptions: ClosedCaptions.none
            ))
        }
        return variants
    }

    private func iFrameStreams(_ renditions: [AssetManifest.Rendition], _ written: [RenditionSegments]) -> [IFrameStream] {
        zip(outlines, zip(renditions, written)).compactMap { outline, entry in
            let (rendition, segments) = entry
            guard let uri = rendition.iFramePlaylist else { return nil }
            let iFrames = builder(segments, of: outline, complete: true).iFramePlaylist()
            let rates = PlaylistBuilder.bitRates(iFrames.segments.map { (Int64($0.byteRange?.length ?? 0), $0.duration) })
            return IFrameStream(
                uri: uri, bandwidth: rates.peak, averageBandwidth: rates.average,
                codecs: Array(outline.codecs.prefix(1)), resolution: Self.resolution(rendition),
                videoRange: outline.videoRange
            )
        }
    }

    private static func resolution(_ rendition: AssetManifest.Rendition) -> Resolution? {
        rendition.width.flatMap { width in rendition.height.map { Resolution(width: width, height: $0) } }
    }

    /// The manifest's renditions: measured bit rates. A variant's BANDWIDTH is what a player
    /// downloads to play it: its own segments plus the largest rendition of each group it
    /// names; its CODECS include every codec of its audio group.
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
            for group in [outline.audioGroup, outline.subtitleGroup].compactMap({ $0 }) {
                let members = outlines.indices.filter { outlines[$0].group == group }
                own.peak += members.map { rates[$0].peak }.max() ?? 0
                own.average += members.map { rates[$0].average }.max() ?? 0
                for member in members { codecs += outlines[member].codecs.filter { !codecs.contains($0) } }
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
                audioGroup: outline.audioGroup,
                subtitleGroup: outline.subtitleGroup,
                kind: outline.kind,
                language: outline.language,
                title: outline.title,
                channels: outline.channels,
                isDefault: outline.group == nil ? nil : outline.isDefault,
                forced: outline.kind == .subtitles ? outline.forced : nil,
                videoRange: outline.videoRange?.rawValue
            )
        }
    }
}
