import Foundation

/// `GET /`: the assets and media files, each playable in the page.
///
/// `/?asset=NAME` opens with that asset playing, `/?media=PATH` with that source file.
struct IndexPage {
    let assets: [AssetSummary]
    let media: [MediaFile]
    let selectedAsset: String?
    let selectedMedia: String?

    var html: String {
        var body = "<h1>Reel</h1>\n"
        if let player = playerSource {
            body += "<section id=\"player\"><h2>\(escape(player.title))</h2>\n"
            body += "<video id=\"video\" controls autoplay muted playsinline src=\"\(escape(player.url))\"></video>\n"
            body += "<p>URL: <code id=\"url\">\(escape(player.url))</code></p></section>\n"
        }
        body += "<h2>Assets</h2>\n"
        if assets.isEmpty {
            body += "<p>No assets yet: <code>reel ingest VIDEO</code> adds one.</p>\n"
        } else {
            body += "<table id=\"assets\"><tr><th>name</th><th>state</th><th>duration</th><th>renditions</th><th>codecs</th><th>playlist</th></tr>\n"
            for asset in assets {
                let renditions = asset.renditions.map { rendition in
                    rendition.resolution.map { "\(rendition.name) (\($0))" } ?? rendition.name
                }.joined(separator: ", ")
                body += "<tr data-asset=\"\(escape(asset.name))\"><td><a href=\"/?asset=\(percentEncoded(asset.name))\">\(escape(asset.name))</a></td>"
                body += "<td>\(asset.state.rawValue)</td><td>\(Self.duration(asset.duration))</td><td>\(escape(renditions))</td>"
                body += "<td>\(escape(asset.codecs.joined(separator: ", ")))</td><td><code>\(escape(asset.master))</code></td></tr>\n"
            }
            body += "</table>\n"
        }
        body += "<h2>Media files</h2>\n"
        if media.isEmpty {
            body += "<p>No media files.</p>\n"
        } else {
            body += "<table id=\"media\"><tr><th>file</th><th>size</th></tr>\n"
            for file in media {
                body += "<tr data-media=\"\(escape(file.path))\"><td><a href=\"/?media=\(percentEncoded(file.path))\">\(escape(file.path))</a></td>"
                body += "<td>\(Self.size(file.size))</td></tr>\n"
            }
            body += "</table>\n"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Reel</title>
            <style>body{font:16px system-ui,sans-serif;margin:2rem;max-width:70rem}video{width:100%;max-height:70vh;background:#000}
            table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}</style>
            </head><body>
            \(body)</body></html>

            """
    }

    private var playerSource: (title: String, url: String)? {
        if let name = selectedAsset, let asset = assets.first(where: { $0.name == name }) {
            return (asset.name, asset.master)
        }
        if let path = selectedMedia, let file = media.first(where: { $0.path == path }) {
            return (file.path, "/media/" + file.path.split(separator: "/").map { percentEncoded(String($0)) }.joined(separator: "/"))
        }
        return nil
    }

    private func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    private func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUnreservedCharacters) ?? text
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

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters.
    static let urlUnreservedCharacters = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
