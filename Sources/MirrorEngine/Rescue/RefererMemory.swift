import Foundation
import Logging
import MirrorFetch
import MirrorStore
import Synchronization

/// The Referer each host was found to need, read from the manifest once per run and written
/// back when a refusal was overcome (`fetch.learn_referer`). Only hosts without a
/// `fetch.host_rules` Referer get here: an operator's rule is never second-guessed.
final class RefererMemory: Sendable {
    private let rules: Mutex<[String: RefererChoice]>
    private let manifest: Manifest
    private let learns: Bool
    private let logger: Logger

    init(manifest: Manifest, learns: Bool, logger: Logger) {
        var known: [String: RefererChoice] = [:]
        do {
            for rule in try manifest.refererRules() {
                if let choice = RefererChoice(rawValue: rule.referer) { known[rule.host] = choice }
            }
        } catch {
            logger.warning("cannot read the learned Referer rules", metadata: ["error": "\(error)"])
        }
        rules = Mutex(known)
        self.manifest = manifest
        self.learns = learns
        self.logger = logger
    }

    /// The Referers to try for `url`, in order: the one learned for its host first, then no
    /// Referer, the image's origin and the site (when `hasSite`).
    func plan(for url: String, hasSite: Bool) -> [RefererChoice] {
        let all: [RefererChoice] = hasSite ? [.none, .origin, .site] : [.none, .origin]
        guard let host = URLOrigin.host(of: url), let learned = rules.withLock({ $0[host] }), all.contains(learned)
        else { return all }
        return [learned] + all.filter { $0 != learned }
    }

    /// Records that `choice` got `url` served after `plan` put another first.
    func learn(_ choice: RefererChoice, for url: String) {
        guard learns, let host = URLOrigin.host(of: url) else { return }
        let previous = rules.withLock { rules in
            let previous = rules[host]
            rules[host] = choice == .none ? nil : choice
            return previous
        }
        guard previous != (choice == .none ? nil : choice) else { return }
        do {
            if choice == .none {
                try manifest.forgetRefererRule(host: host)
            } else {
                try manifest.saveRefererRule(
                    RefererRuleRecord(
                        host: host, referer: choice.rawValue, url: url, learnedAt: Date().timeIntervalSince1970))
            }
            logger.info("learned a Referer rule", metadata: ["host": "\(host)", "referer": "\(choice.rawValue)"])
        } catch {
            logger.warning("cannot record a Referer rule", metadata: ["host": "\(host)", "error": "\(error)"])
        }
    }
}
