import Testing

@testable import TGBot

struct LogThrottleTests {
    @Test func oneLinePerIntervalWithTheSuppressedCount() {
        let throttle = LogThrottle(interval: .seconds(1))
        let start = ContinuousClock.now
        #expect(throttle.shouldLog(now: start) == 0)
        for i in 1...5 { #expect(throttle.shouldLog(now: start + .milliseconds(i * 100)) == nil) }
        #expect(throttle.shouldLog(now: start + .milliseconds(1000)) == 5)
        #expect(throttle.shouldLog(now: start + .milliseconds(1500)) == nil)
        #expect(throttle.shouldLog(now: start + .milliseconds(2100)) == 1)
    }
}
