import Testing
@testable import Segmenter

@Suite("CutSchedule, FrameRateLimit and WorkQueue")
struct CutScheduleTests {
    /// 25 fps pictures from 0: the grid cuts at the first picture on or after each 2 s point.
    @Test func gridCutsAtTheFirstPictureOnOrAfterEachPoint() {
        var schedule = CutSchedule.grid(duration: 2)
        let times = (0..<250).map { Double($0) / 25 }
        let cuts = times.filter { schedule.startsSegment(at: $0) }
        #expect(cuts == [2, 4, 6, 8])
    }

    @Test func gridWithAFrameRateThatMissesThePoints() {
        // 24 fps and 1.5 s: 1.5 s is frame 36 exactly; 0.7 s gaps (a dropped run) skip a point.
        var schedule = CutSchedule.grid(duration: 1.5)
        let times = [0, 1.0, 1.4999999, 2.2, 2.9, 3.6, 4.6]
        let cuts = times.filter { schedule.startsSegment(at: $0) }
        #expect(cuts == [1.4999999, 3.6, 4.6])
    }

    @Test func explicitCutsAreMatchedWithinTheTolerance() {
        var schedule = CutSchedule.explicit(tolerance: 0.02)
        schedule.append(2.0)
        schedule.append(4.0)
        var cuts: [Double] = []
        for time in [0, 1.96, 1.99, 2.03, 3.0, 4.5, 6.0] where schedule.startsSegment(at: time) { cuts.append(time) }
        #expect(cuts == [1.99, 4.5], "a picture within tolerance of a cut starts it; a late one starts the next")
        schedule.append(8.0)
        let early = schedule.startsSegment(at: 7.9)
        let onTime = schedule.startsSegment(at: 8.0)
        #expect(!early && onTime)
    }

    @Test func explicitCutsPassedTogetherStartOneSegment() {
        var schedule = CutSchedule.explicit(tolerance: 0.001)
        schedule.append(1)
        schedule.append(2)
        let first = schedule.startsSegment(at: 2.5)
        let second = schedule.startsSegment(at: 3)
        #expect(first && !second)
    }

    @Test(arguments: [(120.0, 60), (60.0, 60), (50.0, 50), (30.0, 30)])
    func frameRateLimitKeepsAtMostTheCap(_ sourceRate: Double, _ kept: Int) {
        var limit = FrameRateLimit(maximumRate: 60)
        let admitted = (0..<Int(sourceRate)).filter { limit.admits(Double($0) / sourceRate, startsSegment: false) }
        #expect(admitted.count == kept)
    }

    @Test func frameRateLimitNeverDropsASegmentStart() {
        var limit = FrameRateLimit(maximumRate: 60)
        let results = [limit.admits(0, startsSegment: false), limit.admits(1.0 / 120, startsSegment: true), limit.admits(2.0 / 120, startsSegment: false)]
        #expect(results == [true, true, false])
    }

    @Test func workQueueIsBoundedAndDrains() async {
        let queue = WorkQueue<Int>(capacity: 2)
        #expect(queue.push(HandOff(1)) && queue.push(HandOff(2)))
        let producer = Task.detached { queue.push(HandOff(3)) }
        // The third push waits for room; popping one lets it in.
        #expect(queue.pop() == 1)
        #expect(await producer.value)
        queue.finish()
        #expect(queue.pop() == 2 && queue.pop() == 3 && queue.pop() == nil)
    }

    @Test func abandonedWorkQueueRefusesAndReleasesAWaitingProducer() async {
        let queue = WorkQueue<Int>(capacity: 1)
        #expect(queue.push(HandOff(1)))
        let producer = Task.detached { queue.push(HandOff(2)) }
        queue.abandon()
        #expect(await producer.value == false)
        #expect(queue.pop() == nil && queue.isAbandoned)
    }
}
