/// How a declared size compares with the size an image is displayed at.
public enum DimensionVerdict: String, Sendable, Codable {
    case match, scaled, mismatch, undeclared

    /// `scaled` means the same aspect ratio within 1%.
    public static func classify(
        declared: (width: Int, height: Int)?, actual: (width: Int, height: Int)
    ) -> DimensionVerdict {
        guard let declared, declared.width > 0, declared.height > 0 else { return .undeclared }
        if declared.width == actual.width && declared.height == actual.height { return .match }
        guard actual.width > 0, actual.height > 0 else { return .mismatch }
        let declaredRatio = Double(declared.width) / Double(declared.height)
        let actualRatio = Double(actual.width) / Double(actual.height)
        return abs(declaredRatio - actualRatio) / actualRatio <= 0.01 ? .scaled : .mismatch
    }
}
