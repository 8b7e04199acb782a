/// The two template-call syntaxes of static-site generators.
public enum TemplateSyntax: String, Sendable, Hashable {
    /// Hugo `{{< name … >}}` and `{{% name … %}}`.
    case shortcode
    /// Liquid/Nunjucks `{% name … %}` (Hexo, Octopress, Jekyll, Eleventy).
    case tag

    var open: String { self == .shortcode ? "{{<" : "{%" }
    var close: String { self == .shortcode ? ">}}" : "%}" }
}
