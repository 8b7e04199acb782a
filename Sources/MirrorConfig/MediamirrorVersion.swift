/// The version reported in the User-Agent, `--version` and the health endpoint.
public enum MediamirrorVersion {
    public static let current = "0.1.0"
}
