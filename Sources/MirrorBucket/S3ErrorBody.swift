import Foundation

/// The `Code` and `Message` of an S3 error document (`<Error><Code>SlowDown</Code>…`). A plain
/// scan: the document is small and flat, and an answer that is not XML simply has neither.
struct S3ErrorBody {
    var code: String?
    var message: String?

    init(_ body: String) {
        code = Self.element("Code", in: body)
        message = Self.element("Message", in: body)
    }

    private static func element(_ name: String, in body: String) -> String? {
        guard let open = body.range(of: "<\(name)>"),
            let close = body.range(of: "</\(name)>", range: open.upperBound..<body.endIndex)
        else { return nil }
        let value = body[open.upperBound..<close.lowerBound]
        guard !value.isEmpty, value.count <= 300 else { return nil }
        return String(value)
    }
}
