extension TemplateCall {
    /// Named arguments that hold the image of a call named like an image.
    static let imageArgumentNames: Set<String> = ["src", "image", "img", "url", "path", "file", "image_path", "poster"]
    private static let imageWords = [
        "fig", "img", "image", "photo", "picture", "pic", "gallery", "screenshot", "thumb",
    ]

    /// Whether the callee's name looks like an image call: one of `imageWords` at its start or
    /// after a character that is not a letter (`photoGridItem`, `imageheading.html`).
    var isImageCall: Bool {
        let lower = Array(callee.lowercased().utf8)
        for start in lower.indices where start == 0 || !TemplateText.isASCIILetter(lower[start - 1]) {
            for word in Self.imageWords where TemplateText.matches(lower, start, lower.count, Array(word.utf8)) {
                return true
            }
        }
        return false
    }

    /// The arguments that are image references, with the parameter name their place shows:
    /// a named `src`/`image`/`url`… of an image call whatever its value; its first positional
    /// argument when that looks like a path (the image of `{% img %}`/`{% image %}`, named
    /// `src`); and any argument of any call whose value is an image path.
    func imageArguments() -> [(parameter: String, argument: TemplateArgument)] {
        let imageCall = isImageCall
        let source = sourcePosition
        var result: [(String, TemplateArgument)] = []
        var position = 0
        for argument in arguments {
            if let key = argument.key {
                if (imageCall && Self.imageArgumentNames.contains(key.lowercased()))
                    || ImagePath.isImage(argument.value, strict: true)
                {
                    result.append((key, argument))
                }
                continue
            }
            if position == source {
                result.append(("src", argument))
            } else if (source == nil && imageCall && position == 0 && ImagePath.looksLikePath(argument.value))
                || ImagePath.isImage(argument.value, strict: true)
            {
                result.append(("#\(position)", argument))
            }
            position += 1
        }
        return result
    }

    /// The positional argument that is the image: for `{% img [class…] URL … %}` the first that
    /// is a URL or holds a `/` (-1 when none does), 0 for `{% image URL … %}`, -1 for an
    /// include (whose positional arguments are never its image), nil for others.
    private var sourcePosition: Int? {
        guard syntax == .tag else { return nil }
        if name == "image" { return 0 }
        if name.hasPrefix("include:") { return -1 }
        guard name == "img" else { return nil }
        var position = 0
        for argument in arguments where argument.key == nil {
            if argument.value.contains("/") || ImageURLResolver.hasScheme(argument.value) { return position }
            position += 1
        }
        return -1
    }

    /// The size the call declares: `width`/`height` arguments, or the two numbers after the
    /// image of `{% img URL 600 400 %}`.
    var declaredSize: DeclaredSize? {
        let named = Dictionary(
            arguments.compactMap { argument in argument.key.map { ($0.lowercased(), argument.value) } },
            uniquingKeysWith: { first, _ in first })
        if let width = named["width"].flatMap(DeclaredSize.parseLength),
            let height = named["height"].flatMap(DeclaredSize.parseLength)
        {
            return DeclaredSize(width: width, height: height)
        }
        guard syntax == .tag, name == "img", let source = sourcePosition, source >= 0 else { return nil }
        let positional = arguments.filter { $0.key == nil }.map(\.value)
        guard source + 2 < positional.count, let width = DeclaredSize.parseLength(positional[source + 1]),
            let height = DeclaredSize.parseLength(positional[source + 2])
        else { return nil }
        return DeclaredSize(width: width, height: height)
    }
}
