import Testing
@testable import Segmenter

@Suite("Subtitle segmentation")
struct SubtitleSegmentationTests {
    private func cue(_ start: Double, _ end: Double, _ text: String = "") -> SubtitleCue {
        SubtitleCue(start: start, end: end, text: text.isEmpty ? "\(start)-\(end)" : text)
    }

    /// Segments [0, 4), [4, 8), [8, 10 = media end).
    private func split(_ cues: [SubtitleCue]) -> [[SubtitleCue]] {
        SubtitleSegmentation.segments(of: cues, segmentStarts: [0, 4, 8], mediaEnd: 10)
    }

    @Test func cuesInsideOneSegment() {
        let cues = [cue(0.5, 1.8), cue(2, 3.5), cue(5, 5.9), cue(8.1, 9)]
        #expect(split(cues) == [[cues[0], cues[1]], [cues[2]], [cues[3]]])
    }

    @Test func cueAcrossACutIsRepeatedWithItsFullTiming() {
        let across = cue(3.6, 4.4)
        #expect(split([across]) == [[across], [across], []])
    }

    @Test func cueSpanningThreeSegments() {
        let long = cue(1, 9)
        #expect(split([long]) == [[long], [long], [long]])
    }

    @Test func boundariesExactlyOnACue() {
        let endsOnCut = cue(2, 4)
        let startsOnCut = cue(4, 5)
        let startsAtZero = cue(0, 0.5)
        let wholeSegment = cue(4, 8)
        #expect(split([startsAtZero, endsOnCut, startsOnCut, wholeSegment]) == [[startsAtZero, endsOnCut], [startsOnCut, wholeSegment], []])
    }

    @Test func zeroLengthCuesBelongWhereTheyStart() {
        let atZero = cue(0, 0)
        let onCut = cue(4, 4)
        let inside = cue(6, 6)
        let atMediaEnd = cue(10, 10)
        #expect(split([atZero, onCut, inside, atMediaEnd]) == [[atZero], [onCut, inside], []])
    }

    @Test func mediaEndDropsLaterCuesAndKeepsLongOnesWhole() {
        let runsPast = cue(9.5, 12)
        let atEnd = cue(10, 11)
        let after = cue(11, 12)
        #expect(split([runsPast, atEnd, after]) == [[], [], [runsPast]])
    }

    @Test func emptySegmentsInBetween() {
        let first = cue(0.2, 1)
        let last = cue(9, 9.5)
        let segments = SubtitleSegmentation.segments(of: [first, last], segmentStarts: [0, 2, 4, 6, 8], mediaEnd: 10)
        #expect(segments == [[first], [], [], [], [last]])
        #expect(SubtitleSegmentation.segments(of: [], segmentStarts: [0, 4], mediaEnd: 6) == [[], []])
        #expect(SubtitleSegmentation.segments(of: [first], segmentStarts: [], mediaEnd: 6) == [])
    }

    @Test func cuesBeforeTheFirstSegment() {
        let endsBefore = cue(1, 2)
        let endsAtStart = cue(2, 3)
        let runsIn = cue(2.5, 3.5)
        let instantBefore = cue(2.9, 2.9)
        let segments = SubtitleSegmentation.segments(of: [endsBefore, endsAtStart, runsIn, instantBefore], segmentStarts: [3, 5], mediaEnd: 7)
        #expect(segments == [[runsIn], []])
    }

    @Test func floatNoiseDoesNotCrossABoundary() {
        // 4.021 - 0.021 and friends: a microsecond grid absorbs the last bits.
        let endsOnCut = cue(2, 4.000000000000001)
        let startsOnCut = cue(3.9999999999999996, 5)
        #expect(split([endsOnCut, startsOnCut]) == [[endsOnCut], [startsOnCut], []])
    }

    @Test func addingKeepsStartOrderAndTies() {
        var segmentation = SubtitleSegmentation()
        let (a, b, c, d) = (cue(2, 3, "a"), cue(1, 3, "b"), cue(2, 2.5, "c"), cue(0.5, 1, "d"))
        segmentation.add(contentsOf: [a, b, c, d])
        #expect(segmentation.heldCues == [d, b, a, c])
        #expect(segmentation.takeSegment(endingAt: 4) == [d, b, a, c])
        #expect(segmentation.heldCues.isEmpty)
    }

    @Test func backwardsCueIsHeldAsZeroLength() {
        var segmentation = SubtitleSegmentation()
        segmentation.add(cue(3, 1, "back"))
        #expect(segmentation.heldCues == [SubtitleCue(start: 3, end: 3, text: "back")])
        #expect(segmentation.takeSegment(endingAt: 2) == [])
        #expect(segmentation.takeSegment(endingAt: 4) == [SubtitleCue(start: 3, end: 3, text: "back")])
    }

    @Test func incrementalAsALiveInputWouldUseIt() {
        let cues = [cue(0.5, 1.8), cue(2, 3.5), cue(3.6, 9.2), cue(4, 4), cue(5, 5.9), cue(8, 8.5), cue(9.5, 12), cue(10, 11)]
        var segmentation = SubtitleSegmentation(start: 0)
        var live: [[SubtitleCue]] = []
        // Boundaries known one at a time; each segment is taken once every cue starting before its end is in.
        for (end, added) in [(4.0, cues[0...2]), (8.0, cues[3...4]), (10.0, cues[5...7])] {
            segmentation.add(contentsOf: Array(added))
            live.append(segmentation.takeSegment(endingAt: end))
            #expect(segmentation.segmentStart == end)
        }
        #expect(live == split(cues))
        #expect(live == [[cues[0], cues[1], cues[2]], [cues[2], cues[3], cues[4]], [cues[2], cues[5], cues[6]]])
        // What is left starts at or after the media end: nothing will take it.
        #expect(segmentation.heldCues == [cues[6], cues[7]])
    }

    @Test func heldCuesAreThoseStillRunningOrToCome() {
        var segmentation = SubtitleSegmentation()
        segmentation.add(contentsOf: [cue(1, 2), cue(3, 5), cue(6, 7)])
        _ = segmentation.takeSegment(endingAt: 4)
        #expect(segmentation.heldCues == [cue(3, 5), cue(6, 7)])
        // A late cue only reaches segments not yet taken.
        segmentation.add(cue(1, 3.5))
        segmentation.add(cue(2, 4.5))
        #expect(segmentation.takeSegment(endingAt: 8) == [cue(2, 4.5), cue(3, 5), cue(6, 7)])
    }

    @Test func anEndNotAfterTheStartTakesNothing() {
        var segmentation = SubtitleSegmentation(start: 4)
        segmentation.add(cue(3, 6))
        #expect(segmentation.takeSegment(endingAt: 4) == [])
        #expect(segmentation.takeSegment(endingAt: 2) == [])
        #expect(segmentation.segmentStart == 4)
        #expect(segmentation.takeSegment(endingAt: 8) == [cue(3, 6)])
    }
}
