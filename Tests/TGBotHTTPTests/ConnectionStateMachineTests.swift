import Testing

@testable import TGBotHTTP

struct ConnectionStateMachineTests {
    let timeouts = ConnectionStateMachine.Timeouts(header: 10, body: 20, idle: 100, write: 30)

    @Test func idleConnectionClosesQuietlyAfterIdleTimeout() {
        let machine = ConnectionStateMachine(timeouts: timeouts, now: 0)
        #expect(machine.timeoutAction(now: 99) == .none)
        #expect(machine.timeoutAction(now: 100) == .close)
    }

    @Test func slowHeadGetsRequestTimeout() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: 0)
        machine.receivedBytes(now: 50)
        #expect(machine.phase == .readingHead)
        #expect(machine.timeoutAction(now: 59) == .none)
        #expect(machine.timeoutAction(now: 60) == .requestTimeout)
        // More bytes of the same head do not extend the deadline (slowloris trickles one byte at a time).
        machine.receivedBytes(now: 58)
        #expect(machine.timeoutAction(now: 60) == .requestTimeout)
    }

    @Test func slowBodyGetsRequestTimeout() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: 0)
        machine.receivedBytes(now: 0)
        machine.receivedHead(now: 5)
        #expect(machine.timeoutAction(now: 24) == .none)
        #expect(machine.timeoutAction(now: 25) == .requestTimeout)
    }

    @Test func handlerTimeIsUnbounded() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: 0)
        machine.receivedBytes(now: 0)
        machine.receivedHead(now: 0)
        machine.receivedRequest()
        #expect(machine.timeoutAction(now: .max - 1) == .none)
    }

    @Test func stuckWriteCloses() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: 0)
        machine.receivedRequest()
        machine.startedWriting(now: 10)
        #expect(machine.timeoutAction(now: 39) == .none)
        #expect(machine.timeoutAction(now: 40) == .close)
    }

    @Test func keepAliveReturnsToIdleOrNextHead() {
        var machine = ConnectionStateMachine(timeouts: timeouts, now: 0)
        machine.receivedRequest()
        machine.startedWriting(now: 0)
        let stays = machine.finishedWriting(now: 5, keepAlive: true, hasBufferedBytes: false)
        #expect(stays)
        #expect(machine.phase == .idle)
        #expect(machine.timeoutAction(now: 105) == .close)
        machine.receivedRequest()
        machine.startedWriting(now: 0)
        let staysAgain = machine.finishedWriting(now: 5, keepAlive: true, hasBufferedBytes: true)
        #expect(staysAgain)
        #expect(machine.phase == .readingHead)
        #expect(machine.timeoutAction(now: 15) == .requestTimeout)
    }

    @Test func drainingClosesIdleNowAndBusyAfterExchange() {
        var idle = ConnectionStateMachine(timeouts: timeouts, now: 0)
        let closeNow = idle.beginDraining()
        #expect(closeNow)
        var busy = ConnectionStateMachine(timeouts: timeouts, now: 0)
        busy.receivedRequest()
        let closeBusyNow = busy.beginDraining()
        #expect(!closeBusyNow)
        #expect(!busy.allowsKeepAlive)
        busy.startedWriting(now: 0)
        let busyStays = busy.finishedWriting(now: 1, keepAlive: true, hasBufferedBytes: false)
        #expect(!busyStays)
        #expect(busy.phase == .closed)
    }
}
