import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Turns SIGTERM and SIGINT into a call to `onSignal`, on a dispatch queue instead of inside a signal handler.
///
/// The default dispositions are ignored first, so the signals are only delivered through the dispatch sources;
/// `onSignal` runs at most once per signal received.
final class SignalWatcher {
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32] = [SIGTERM, SIGINT], onSignal: @escaping @Sendable (Int32) -> Void) {
        let queue = DispatchQueue(label: "tgbotd.signals")
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { onSignal(number) }
            source.resume()
            return source
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
    }
}
