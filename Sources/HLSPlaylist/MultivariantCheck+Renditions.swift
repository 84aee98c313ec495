extension MultivariantCheck {
    /// An `EXT-X-MEDIA` tag (RFC 8216 §4.3.4.1, §4.3.4.1.1): its `TYPE`, its place in
    /// its group, the constraints tying its attributes together, and its language tags.
    mutating func visitRendition(_ tag: Tag) {
        let attributes = tag.attributes
        checkLanguages(tag)
        guard let type = attributes["TYPE"]?.text, let groupId = attributes["GROUP-ID"]?.text else { return }
        guard let renditionType = RenditionType(rawValue: type) else {
            report(.invalidAttribute, tag.line, "#EXT-X-MEDIA TYPE \(type) is not AUDIO, VIDEO, SUBTITLES or CLOSED-CAPTIONS")
            return
        }
        let key = GroupKey(type: type, id: groupId)
        var group = groups[key] ?? Group()
        if let name = attributes["NAME"]?.text {
            if let first = group.names[name] {
                report(.duplicateRenditionName, tag.line, "rendition NAME \"\(name)\" is already used in group \"\(groupId)\" (line \(first))")
            } else {
                group.names[name] = tag.line
            }
        }
        if attributes["DEFAULT"]?.text == "YES" {
            if let first = group.defaultLine {
                report(.multipleDefaultRenditions, tag.line, "group \"\(groupId)\" already has a DEFAULT=YES rendition (line \(first))")
            } else {
                group.defaultLine = tag.line
            }
        }
        group.hasURI = group.hasURI || attributes.contains("URI")
        groups[key] = group
        checkRendition(renditionType, tag)
    }

    /// RFC 8216 §4.3.4.1 constraints that tie `EXT-X-MEDIA` attributes together, and
    /// Reel's profile: `DEFAULT=YES` needs an explicit `AUTOSELECT=YES`.
    private mutating func checkRendition(_ type: RenditionType, _ tag: Tag) {
        let attributes = tag.attributes
        switch type {
        case .closedCaptions:
            if attributes.contains("URI") {
                report(.invalidAttribute, tag.line, "#EXT-X-MEDIA with TYPE=CLOSED-CAPTIONS must not have a URI")
            }
            if !attributes.contains("INSTREAM-ID") {
                report(.missingAttribute, tag.line, "#EXT-X-MEDIA with TYPE=CLOSED-CAPTIONS requires INSTREAM-ID")
            }
        case .subtitles:
            if !attributes.contains("URI") {
                report(.missingAttribute, tag.line, "#EXT-X-MEDIA with TYPE=SUBTITLES requires a URI")
            }
        case .audio, .video:
            break
        }
        if type != .closedCaptions, attributes.contains("INSTREAM-ID") {
            report(.invalidAttribute, tag.line, "INSTREAM-ID is only allowed with TYPE=CLOSED-CAPTIONS")
        }
        if type != .subtitles, attributes.contains("FORCED") {
            report(.invalidAttribute, tag.line, "FORCED is only allowed with TYPE=SUBTITLES")
        }
        if attributes["DEFAULT"]?.text == "YES" {
            switch attributes["AUTOSELECT"]?.text {
            case "YES"?: break
            case nil: report(.invalidAttribute, tag.line, "DEFAULT=YES requires AUTOSELECT=YES (absent means NO)")
            default: report(.invalidAttribute, tag.line, "DEFAULT=YES requires AUTOSELECT=YES")
            }
        }
    }

    /// `LANGUAGE` and `ASSOC-LANGUAGE` must be well-formed RFC 5646 tags.
    private mutating func checkLanguages(_ tag: Tag) {
        for attribute in ["LANGUAGE", "ASSOC-LANGUAGE"] {
            guard let value = tag.attributes[attribute]?.text, !LanguageTag.isWellFormed(value) else { continue }
            report(.malformedLanguageTag, tag.line, "\(attribute) \"\(value)\" is not a well-formed RFC 5646 language tag")
        }
    }
}
