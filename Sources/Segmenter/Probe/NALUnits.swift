/// Splitting and unescaping H.264/HEVC NAL units.
enum NALUnits {
    /// The NAL units of an Annex B byte stream (start-code delimited), without start codes.
    static func annexB(_ data: [UInt8]) -> [ArraySlice<UInt8>] {
        var units: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        while index + 2 < data.count {
            if data[index] == 0, data[index + 1] == 0, data[index + 2] == 1 {
                if let begin = start {
                    var end = index
                    // A four-byte start code leaves one zero at the end of the previous unit.
                    while end > begin, data[end - 1] == 0 { end -= 1 }
                    units.append(data[begin..<end])
                }
                index += 3
                start = index
            } else {
                index += 1
            }
        }
        if let begin = start, begin < data.count { units.append(data[begin...]) }
        return units
    }

    /// The RBSP of a NAL unit: every 0x000003 emulation-prevention byte removed.
    static func removingEmulationPrevention(_ unit: ArraySlice<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(unit.count)
        var zeros = 0
        for byte in unit {
            if zeros >= 2, byte == 3 {
                zeros = 0
                continue
            }
            zeros = byte == 0 ? zeros + 1 : 0
            output.append(byte)
        }
        return output
    }
}
