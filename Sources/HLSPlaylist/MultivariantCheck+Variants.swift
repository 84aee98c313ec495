extension MultivariantCheck {
    /// The checks that need every `EXT-X-MEDIA` group: that there are variants, that
    /// the groups variants and I-frame streams name exist with the right `TYPE`, and
    /// that `CODECS` covers the audio of the `AUDIO` group.
    mutating func checkVariants() {
        if streamInfs.isEmpty {
            report(.noVariants, nil, "multivariant playlist has no #EXT-X-STREAM-INF")
        }
        for tag in streamInfs {
            checkGroupReferences(tag, types: ["AUDIO", "VIDEO", "SUBTITLES", "CLOSED-CAPTIONS"])
        }
        // RFC 8216 §4.3.4.3: of the group attributes, an I-frame stream may only have VIDEO.
        for tag in iFrameStreamInfs {
            checkGroupReferences(tag, types: ["VIDEO"])
        }
        checkAudioCodecs()
    }

    /// Each group attribute is named after the `TYPE` of the group it refers to
    /// (§4.3.4.2); `CLOSED-CAPTIONS` may instead be the enumerated string `NONE`.
    private mutating func checkGroupReferences(_ tag: Tag, types: [String]) {
        for type in types {
            switch tag.attributes[type] {
            case nil:
                continue
            case .unquoted("NONE")? where type == "CLOSED-CAPTIONS":
                continue
            case .unquoted(let value)? where type == "CLOSED-CAPTIONS":
                report(.invalidAttribute, tag.line, "CLOSED-CAPTIONS=\(value) must be a quoted GROUP-ID or NONE")
            case let value?:
                if groups[GroupKey(type: type, id: value.text)] == nil {
                    report(.undefinedGroup, tag.line, "\(type)=\"\(value.text)\" names no #EXT-X-MEDIA group with TYPE=\(type)")
                }
            }
        }
    }

    /// `VIDEO-RANGE` (rfc8216bis §4.4.6.2) is the enumerated string `SDR`, `PQ` or `HLG`.
    mutating func checkVideoRange(_ tag: Tag) {
        switch tag.attributes["VIDEO-RANGE"] {
        case nil:
            break
        case .unquoted(let text)? where VideoRange(rawValue: text) != nil:
            break
        case .quoted(let text)? where VideoRange(rawValue: text) != nil:
            report(.invalidAttribute, tag.line, "VIDEO-RANGE is an enumerated string: write VIDEO-RANGE=\(text), unquoted")
        case .quoted(let text)?:
            report(.invalidAttribute, tag.line, "VIDEO-RANGE=\"\(text)\" is not SDR, PQ or HLG")
        case .unquoted(let text)?:
            report(.invalidAttribute, tag.line, "VIDEO-RANGE=\(text) is not SDR, PQ or HLG")
        }
    }

    /// A variant whose `AUDIO` group has renditions of their own (with a `URI`) plays
    /// audio from outside its stream, so its `CODECS` must name that audio (§4.3.4.2:
    /// every format of every rendition the variant may play); and variants sharing an
    /// `AUDIO` group play the same audio, so they must name the same audio codecs.
    private mutating func checkAudioCodecs() {
        var first: [String: (codecs: Set<String>, line: Int)] = [:]
        for tag in streamInfs {
            guard let group = tag.attributes["AUDIO"]?.text, let list = tag.attributes["CODECS"]?.text else { continue }
            let audio = Set(MultivariantPlaylistParser.codecList(list).filter(Self.isAudioCodec))
            if audio.isEmpty {
                if groups[GroupKey(type: "AUDIO", id: group)]?.hasURI == true {
                    report(.missingAudioCodec, tag.line, "CODECS names no audio codec, but the renditions of AUDIO=\"\(group)\" are separate audio streams")
                }
            } else if let seen = first[group] {
                if seen.codecs != audio {
                    report(.inconsistentAudioCodecs, tag.line,
                           "audio codecs \(Self.listed(audio)) differ from \(Self.listed(seen.codecs)) of the variant on line \(seen.line), which names the same AUDIO group \"\(group)\"")
                }
            } else {
                first[group] = (audio, tag.line)
            }
        }
    }

    /// Whether an RFC 6381 codec string names an audio format HLS carries: any
    /// MPEG-4 audio (`mp4a.40.2` AAC, `mp4a.40.34` and `mp4a.6B` MP3, `mp4a.A5`…),
    /// AC-3, E-AC-3, AC-4, Opus, FLAC, ALAC, DTS and MPEG-H 3D Audio.
    static func isAudioCodec(_ codec: String) -> Bool {
        let sampleEntry = codec.prefix { $0 != "." }.lowercased()
        return audioSampleEntries.contains(sampleEntry)
    }

    private static let audioSampleEntries: Set<String> = [
        "mp4a", "ac-3", "ec-3", "ac-4", "opus", "flac", "alac", "dtsc", "dtse", "dtsh", "dtsl", "dtsx", "mha1", "mhm1",
    ]

    private static func listed(_ codecs: Set<String>) -> String {
        codecs.sorted().joined(separator: ",")
    }
}
