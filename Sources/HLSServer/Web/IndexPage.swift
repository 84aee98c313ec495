import Foundation

/// `GET /`: the assets and media files, each playable in the page.
///
/// `/?asset=NAME` opens with that asset playing, `/?media=PATH` with that source file. The
/// HTML is complete without JavaScript (lists, and a `<video>` for the selection); `PageScript`
/// then plays selections in place and keeps the lists current from `/api/assets` and
/// `/api/media`, building the same markup (keep the two in step). Every value from the library
/// goes through `HTML.escape`.
struct IndexPage {
    let assets: [AssetSummary]
    let media: [MediaFile]
    let selectedAsset: String?
    let selectedMedia: String?
    /// A signed server's page: the signature of the page's own URL, which its links carry
    /// (the assets' and files' URLs carry it already).
    var signedQuery: String? = nil

    var html: String {
        let selection = self.selection
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(selection.map { HTML.escape($0.title) + " · " } ?? "")Reel</title>
            <link rel="icon" href="\(StaticAsset.icon.path)" type="image/svg+xml">
            <link rel="stylesheet" href="\(StaticAsset.stylesheet.path)">
            <script src="\(StaticAsset.script.path)" defer></script>
            </head>
            <body>
            <header class="top">
            <a class="brand" href="/\(signedQuery.map { "?" + HTML.escape($0) } ?? "")"><img src="\(StaticAsset.icon.path)" alt="" width="28" height="28">Reel</a>
            <span id="summary">\(summary)</span>
            <span id="live" class="live" hidden>live</span>
            </header>
            <main>
            \(player(selection))
            \(assetsSection)
            \(mediaSection)
            </main>
            </body>
            </html>

            """
    }

    /// What the player shows: an asset's master playlist or a source file.
    struct Selection {
        enum Kind: String { case asset, media }
        var kind: Kind
        /// The asset name or media path, as the `?asset=`/`?media=` parameter gives it.
        var key: String
        var title: String
        var url: String
        var description: String
    }

    private var selection: Selection? {
        if let name = selectedAsset, let asset = assets.first(where: { $0.name == name }) {
            return Selection(kind: .asset, key: asset.name, title: asset.name, url: asset.master, description: Self.description(of: asset))
        }
        if let path = selectedMedia, let file = media.first(where: { $0.path == path }) {
            return Selection(kind: .media, key: file.path, title: file.path, url: file.url, description: Self.description(of: file))
        }
        return nil
    }

    private var summary: String {
        "\(Self.count(assets.count, "asset")) · \(Self.count(media.count, "media file"))"
    }

    // MARK: Player

    private func player(_ selection: Selection?) -> String {
        let attributes = selection.map {
            " data-kind=\"\($0.kind.rawValue)\" data-key=\"\(HTML.escape($0.key))\" data-src=\"\(HTML.escape($0.url))\""
        } ?? " hidden"
        // Muted so that autoplay is allowed when the page is opened from a link; a click in the
        // page is a user gesture, and the script unmutes then.
        let source = selection.map { " src=\"\(HTML.escape($0.url))\"" } ?? ""
        let label = selection?.kind == .media ? "File URL" : "Playlist URL"
        return """
            <section id="player" class="card player"\(attributes)>
            <div class="screen"><video id="video" controls autoplay muted playsinline preload="metadata"\(source)></video></div>
            <div class="details">
            <h2 id="player-title">\(HTML.escape(selection?.title ?? ""))</h2>
            <p id="player-kind" class="kind">\(HTML.escape(selection?.description ?? ""))</p>
            <p id="player-note" class="note" hidden></p>
            <label for="player-url" id="player-url-label">\(label)</label>
            <div class="copy"><input id="player-url" readonly value="\(HTML.escape(selection?.url ?? ""))"><button id="copy-url" type="button">Copy</button></div>
            <dl class="facts"><dt id="rendition-label">\(selection?.kind == .media ? "Picture" : "Rendition")</dt><dd id="rendition">—</dd>\
            <dt id="audio-track-label" hidden>Audio</dt><dd id="audio-track-choice" hidden><select id="audio-track" aria-labelledby="audio-track-label"></select></dd>\
            <dt id="text-track-label" hidden>Subtitles</dt><dd id="text-track-choice" hidden><select id="text-track" aria-labelledby="text-track-label"></select></dd></dl>
            <p id="tracks-note" class="note tracks-note" hidden></p>
            </div>
            </section>
            """
    }

    // MARK: Lists

    private var assetsSection: String {
        let rows = assets.map(assetRow).joined(separator: "\n")
        return """
            <section class="card" aria-labelledby="assets-heading">
            <h2 id="assets-heading">Assets</h2>
            <p id="assets-empty" class="empty"\(assets.isEmpty ? "" : " hidden")>No assets yet: <code>reel ingest VIDEO</code> adds one, and so does a video dropped into the folder of <code>reel serve --watch</code>.</p>
            <div class="scroll"><table id="assets"\(assets.isEmpty ? " hidden" : "")>
            <thead><tr><th>Name</th><th>State</th><th class="num">Duration</th><th>Renditions</th><th class="codecs">Codecs</th></tr></thead>
            <tbody>
            \(rows)
            </tbody></table></div>
            </section>
            """
    }

    private func assetRow(_ asset: AssetSummary) -> String {
        let name = HTML.escape(asset.name)
        let selected = selectedAsset == asset.name ? " class=\"selected\"" : ""
        // Alternate renditions (audio languages, subtitles) show in the tracks line instead.
        let renditions = asset.renditions.filter { $0.group == nil }.map { rendition in
            "<span class=\"rendition\">\(HTML.escape(rendition.name))\(rendition.resolution.map { " <small>\(HTML.escape($0))</small>" } ?? "")</span>"
        }.joined(separator: " ")
        let codecs = asset.codecs.map { "<code>\(HTML.escape($0))</code>" }.joined(separator: " ")
        return "<tr data-asset=\"\(name)\"\(selected)>"
            + "<td>\(playLink(kind: .asset, key: asset.name, url: asset.master)) <span class=\"format\">\(asset.format.displayName)</span>"
            + (Self.dynamicRange(of: asset).map { " <span class=\"format hdr\">\(HTML.escape($0))</span>" } ?? "")
            + (asset.encryption.map { " <span class=\"format encrypted\">\(HTML.escape($0.uppercased()))</span>" } ?? "")
            + (Self.tracks(of: asset).map { "<div class=\"tracks\">\(HTML.escape($0))</div>" } ?? "") + "</td>"
            + "<td><span class=\"state state-\(asset.state.rawValue)\">\(asset.state.rawValue)</span></td>"
            + "<td class=\"num\">\(Self.duration(asset.duration))</td><td>\(renditions)</td><td class=\"codecs\">\(codecs)</td></tr>"
    }

    private var mediaSection: String {
        let rows = media.map(mediaRow).joined(separator: "\n")
        return """
            <section class="card" aria-labelledby="media-heading">
            <h2 id="media-heading">Media files</h2>
            <p id="media-empty" class="empty"\(media.isEmpty ? "" : " hidden")>No media files: videos in the <code>--media</code> folder play here directly.</p>
            <div class="scroll"><table id="media"\(media.isEmpty ? " hidden" : "")>
            <thead><tr><th>File</th><th class="num">Size</th><th class="num">Duration</th></tr></thead>
            <tbody>
            \(rows)
            </tbody></table></div>
            </section>
            """
    }

    private func mediaRow(_ file: MediaFile) -> String {
        let selected = selectedMedia == file.path ? " class=\"selected\"" : ""
        return "<tr data-media=\"\(HTML.escape(file.path))\"\(selected)><td>\(playLink(kind: .media, key: file.path, url: file.url))</td>"
            + "<td class=\"num\">\(Self.size(file.size))</td><td class=\"num\">\(file.duration.map(Self.duration) ?? "—")</td></tr>"
    }

    /// A link that opens the page playing `key`; the script plays it in place instead.
    private func playLink(kind: Selection.Kind, key: String, url: String) -> String {
        "<a class=\"play\" href=\"/?\(kind.rawValue)=\(HTML.percentEncoded(key))\(signedQuery.map { "&amp;" + HTML.escape($0) } ?? "")\" data-kind=\"\(kind.rawValue)\" "
            + "data-key=\"\(HTML.escape(key))\" data-src=\"\(HTML.escape(url))\">\(HTML.escape(key))</a>"
    }

    // MARK: Formatting (PageScript formats the same way)

    static func description(of asset: AssetSummary) -> String {
        "HLS · \(asset.format.displayName) · \(asset.state.rawValue)"
    }

    /// "HDR PQ" or "HDR HLG" for an HDR asset, nil for SDR or when the manifest does not say.
    static func dynamicRange(of asset: AssetSummary) -> String? {
        asset.highDynamicRange.map { "HDR \($0)" }
    }

    /// "Audio: English, French · Subtitles: English, French (forced)"; nil when the asset has
    /// neither alternate audio nor subtitles.
    static func tracks(of asset: AssetSummary) -> String? {
        var parts: [String] = []
        if !asset.audio.isEmpty {
            parts.append("Audio: " + asset.audio.map { trackName(title: $0.title, language: $0.language, name: $0.name) }.joined(separator: ", "))
        }
        if !asset.subtitles.isEmpty {
            parts.append("Subtitles: " + asset.subtitles.map {
                trackName(title: $0.title, language: $0.language, name: $0.name) + ($0.forced ? " (forced)" : "")
            }.joined(separator: ", "))
        }
        return parts.isEmpty ? nil : parts.joined(separator: " · ")
    }

    /// A track by its playlist `NAME`, else its language tag, else its rendition's name.
    private static func trackName(title: String?, language: String?, name: String) -> String {
        title ?? language ?? name
    }

    static func description(of file: MediaFile) -> String {
        let type = (file.path as NSString).pathExtension.uppercased()
        return "\(type.isEmpty ? "Source" : type) file · direct playback with range requests"
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? "\(total / 3600):\(pad(total / 60 % 60)):\(pad(total % 60))"
            : "\(total / 60):\(pad(total % 60))"
    }

    static func size(_ bytes: Int64) -> String {
        bytes >= 1 << 20 ? "\((bytes * 10 >> 20) / 10).\((bytes * 10 >> 20) % 10) MiB" : "\((bytes + 1023) >> 10) KiB"
    }

    static func count(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}
