import Foundation

/// ffprobe as an independent reference for what a media file contains.
public enum FFprobe {
    /// `ffprobe -show_format -show_streams` as a JSON object.
    public static func formatAndStreams(_ path: String) async throws -> [String: Any] {
        try await json(["-show_format", "-show_streams", "-count_packets", path])
    }

    /// Per-packet stream index, flags, pts and size: `[(stream, isKey, ptsTime, size)]`.
    public static func packets(_ path: String, streams selector: String? = nil) async throws -> [Packet] {
        var arguments = ["-show_entries", "packet=stream_index,flags,pts_time,dts_time,duration_time,size,pos"]
        if let selector { arguments += ["-select_streams", selector] }
        let object = try await json(arguments + [path])
        let list = object["packets"] as? [[String: Any]] ?? []
        return list.map { entry in
            Packet(
                streamIndex: entry["stream_index"] as? Int ?? -1,
                isKeyframe: (entry["flags"] as? String ?? "").hasPrefix("K"),
                ptsTime: Double(entry["pts_time"] as? String ?? ""),
                dtsTime: Double(entry["dts_time"] as? String ?? ""),
                durationTime: Double(entry["duration_time"] as? String ?? ""),
                size: Int(entry["size"] as? String ?? "") ?? 0,
                position: Int(entry["pos"] as? String ?? "")
            )
        }
    }

    /// Frames of the first stream matching `selector` (e.g. "v:0"), counted by decoding it all
    /// (`ffprobe -count_frames`).
    public static func decodedFrameCount(_ path: String, streams selector: String) async throws -> Int {
        let object = try await json(["-count_frames", "-select_streams", selector, "-show_entries", "stream=nb_read_frames", path])
        let streams = object["streams"] as? [[String: Any]] ?? []
        guard let text = streams.first?["nb_read_frames"] as? String, let count = Int(text) else {
            throw ProbeFailure(message: "no nb_read_frames for \(selector) in \(path)")
        }
        return count
    }

    public struct Packet: Sendable {
        public let streamIndex: Int
        public let isKeyframe: Bool
        public let ptsTime: Double?
        public let dtsTime: Double?
        public let durationTime: Double?
        public let size: Int
        public let position: Int?
    }

    static func json(_ arguments: [String]) async throws -> [String: Any] {
        let result = try await ProcessRunner.run("ffprobe", ["-v", "error", "-of", "json"] + arguments)
        guard result.status == 0 else {
            throw ProbeFailure(message: result.stderrText)
        }
        return try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any] ?? [:]
    }

    public struct ProbeFailure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { "ffprobe failed: \(message)" }
    }
}

/// Parses ffprobe's rational strings such as "30000/1001"; nil for "0/0".
public func parseRational(_ text: String?) -> Double? {
    guard let text else { return nil }
    let parts = text.split(separator: "/").compactMap { Double($0) }
    guard parts.count == 2, parts[1] != 0, parts[0] != 0 else { return nil }
    return parts[0] / parts[1]
}
