extension Report {
    public struct Failure: Sendable, Codable, Equatable {
        public var url: String
        public var host: String
        public var `class`: String
        public var message: String
        public var attempts: Int
        @NullWhenAbsent public var httpStatus: Int?
        /// When the web archives were last asked for it and had no usable capture.
        @NullWhenAbsent public var rescueChecked: Double? = nil

        enum CodingKeys: String, CodingKey {
            case url, host, `class`, message, attempts
            case httpStatus = "http_status"
            case rescueChecked = "rescue_checked"
        }
    }
}
