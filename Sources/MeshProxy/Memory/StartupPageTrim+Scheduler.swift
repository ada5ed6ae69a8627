import Synchronization

extension StartupPageTrim {
    /// Trims once config changes have settled: each applied config (the
    /// bootstrap's, every xDS push) restarts the wait, so a burst of pushes
    /// costs one trim. Every trim makes the forwarding path fault its code back
    /// in (about a thousand minor faults), which is why it is not done per push.
    public final class Scheduler: Sendable {
        public let delay: Duration
        private let pending = Mutex<Task<Void, Never>?>(nil)
        private let trim: @Sendable () -> Void

        public init(delay: Duration = .seconds(1), trim: @escaping @Sendable () -> Void) {
            self.delay = delay
            self.trim = trim
        }

        /// A config was applied: trim `delay` after the last of them.
        public func configApplied() {
            let delay = delay
            let trim = trim
            pending.withLock { task in
                task?.cancel()
                task = Task {
                    guard (try? await Task.sleep(for: delay)) != nil, !Task.isCancelled else { return }
                    trim()
                }
            }
        }

        /// Stops a pending trim (shutdown).
        public func cancel() {
            pending.withLock { task in
                task?.cancel()
                task = nil
            }
        }
    }
}
