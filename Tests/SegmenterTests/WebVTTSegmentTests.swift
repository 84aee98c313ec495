import Testing
@testable import Segmenter

@Suite("WebVTT segments")
struct WebVTTSegmentTests {
    @Test func emptySegmentIsTheHeaderAlone() {
        #expect(WebVTTSegment.render(cues: [], mpegTimestamp: 0) == "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n")
        #expect(WebVTTSegment.render(cues: [], mpegTimestamp: 8_589_934_591) == "WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:8589934591,LOCAL:00:00:00.000\n\n")
    }

    @Test func cuesInTheOrderGiven() {
        let cues = [
            SubtitleCue(start: 3.6, end: 4.4, text: "<i>Across the cut</i>"),
            SubtitleCue(start: 5, end: 5.9, text: "Last line\nsecond row"),
            SubtitleCue(start: 4.5, end: 5.5, text: "Tom &amp; Jerry: 1 &lt; 2"),
        ]
        #expect(WebVTTSegment.render(cues: cues, mpegTimestamp: 126_000) == """
            WEBVTT
            X-TIMESTAMP-MAP=MPEGTS:126000,LOCAL:00:00:00.000

            00:00:03.600 --> 00:00:04.400
            <i>Across the cut</i>

            00:00:05.000 --> 00:00:05.900
            Last line
            second row

            00:00:04.500 --> 00:00:05.500
            Tom &amp; Jerry: 1 &lt; 2


            """)
    }

    @Test("timestamps round to the millisecond, halves up", arguments: [
        (0.0, "00:00:00.000"), (0.0004, "00:00:00.000"), (0.0005, "00:00:00.001"), (0.0015, "00:00:00.002"),
        (1.0005, "00:00:01.001"), (1.000499, "00:00:01.000"), (2.4995, "00:00:02.500"), (4.4, "00:00:04.400"),
        (59.9995, "00:01:00.000"), (61.25, "00:01:01.250"), (3599.9996, "01:00:00.000"), (3723.004, "01:02:03.004"),
        (359_999.999, "99:59:59.999"), (360_000, "100:00:00.000"), (-0.5, "00:00:00.000"), (.nan, "00:00:00.000"),
    ])
    func timestamp(seconds: Double, expected: String) {
        #expect(WebVTTSegment.timestamp(seconds) == expected)
    }

    @Test func endNeverBeforeStart() {
        let cues = [SubtitleCue(start: 2.0004, end: 1, text: "a"), SubtitleCue(start: 7, end: 7, text: "b")]
        #expect(WebVTTSegment.render(cues: cues, mpegTimestamp: 90_000) == """
            WEBVTT
            X-TIMESTAMP-MAP=MPEGTS:90000,LOCAL:00:00:00.000

            00:00:02.000 --> 00:00:02.000
            a

            00:00:07.000 --> 00:00:07.000
            b


            """)
    }

    @Test func timesBeyondAnyMediaDoNotOverflow() {
        #expect(WebVTTSegment.timestamp(.infinity) == "2500000:00:00.000")
        #expect(WebVTTSegment.timestamp(1e300) == "2500000:00:00.000")
    }
}
