import Foundation

/// A subtitle file beside an input video, found by name: for `NAME.EXT` (any last extension),
/// `NAME.srt`, `NAME.vtt`, `NAME.LANG.srt` and `NAME.LANG.vtt`.
///
/// NAME is compared exactly (case matters); the `srt`/`vtt` extension in any case. LANG is a
/// language of 2 or 3 ASCII letters, optionally followed by `-` and a region of 2 letters
/// (`en`, `fre`, `pt-BR`). Any other name beside the input is not a sidecar: `NAME.en.forced.srt`,
/// `NAME.english.srt`, `NAME.en-419.srt`, `NAME.srt.vtt` (a language named like an extension).
public struct SubtitleSidecar: Sendable, Hashable {
    /// How the sidecar is written.
    public enum Format: String, Sendable, Hashable, CaseIterable {
        /// SubRip.
        case srt
        /// WebVTT.
        case vtt
    }

    /// The sidecar's path: the input's directory as the input's path wrote it, then the file name.
    public let path: String
    /// LANG from the file name, the language lowercased and a region uppercased (`en`, `fre`,
    /// `pt-BR`); nil for `NAME.srt` and `NAME.vtt`.
    public let language: String?
    public let format: Format

    public init(path: String, language: String?, format: Format) {
        self.path = path
        self.language = language
        self.format = format
    }

    /// The sidecars of the input at `path`: regular files (or links to them) in its directory,
    /// without language first, then by language, SubRip before WebVTT. Nothing for standard
    /// input (`-`) or a directory that cannot be listed.
    public static func find(besideInput path: String) -> [SubtitleSidecar] {
        guard path != "-", !path.isEmpty, !path.hasSuffix("/") else { return [] }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let inputName = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let stem = baseName(of: inputName)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? "." : directory) else { return [] }
        let found = names.compactMap { name -> SubtitleSidecar? in
            guard name != inputName, let (language, format) = match(fileName: name, baseName: stem),
                  isRegularFile(directory + name) else { return nil }
            return SubtitleSidecar(path: directory + name, language: language, format: format)
        }
        return found.sorted(by: isOrderedBefore)
    }

    /// The input's file name without its last extension (`clip.final.mp4` → `clip.final`); a
    /// name without one, or whose only dot leads it (`.clip`), is kept whole.
    static func baseName(of fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return fileName }
        return String(fileName[..<dot])
    }

    /// The language and format `fileName` gives a sidecar of an input named `baseName`.EXT,
    /// nil when it names no sidecar of it.
    static func match(fileName: String, baseName: String) -> (language: String?, format: Format)? {
        guard fileName.hasPrefix(baseName + ".") else { return nil }
        let rest = fileName.dropFirst(baseName.count + 1)
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard let last = parts.last, let format = Format(rawValue: last.lowercased()) else { return nil }
        switch parts.count {
        case 1: return (nil, format)
        case 2: return language(String(parts[0])).map { ($0, format) }
        default: return nil
        }
    }

    /// `tag` as a LANG (`en`, `FRE`, `pt-br`), normalised (`en`, `fre`, `pt-BR`); nil when it is not one.
    static func language(_ tag: String) -> String? {
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count <= 2, (2...3).contains(parts[0].count), parts.allSatisfy(isASCIILetters),
              Format(rawValue: parts[0].lowercased()) == nil else { return nil }
        guard parts.count == 2 else { return parts[0].lowercased() }
        guard parts[1].count == 2 else { return nil }
        return parts[0].lowercased() + "-" + parts[1].uppercased()
    }

    private static func isASCIILetters(_ text: Substring) -> Bool {
        text.utf8.allSatisfy { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0 | 0x20) }
    }

    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    private static func isOrderedBefore(_ a: SubtitleSidecar, _ b: SubtitleSidecar) -> Bool {
        if (a.language == nil) != (b.language == nil) { return a.language == nil }
        if a.language != b.language { return (a.language ?? "") < (b.language ?? "") }
        if a.format != b.format { return a.format == .srt }
        return a.path < b.path
    }
}
