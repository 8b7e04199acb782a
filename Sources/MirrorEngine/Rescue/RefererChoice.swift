/// Which Referer a request carries when no `fetch.host_rules` rule names one: none first, then,
/// after a refusal, the image's own origin and the site's address.
enum RefererChoice: String, Sendable, CaseIterable {
    case none
    /// The image's own `scheme://host/`.
    case origin
    /// `site.base_url`.
    case site
}
