import MirrorBucket
import MirrorConfig
import MirrorStore

/// Where a stored path is, as `report` shows it, without opening the store (no credentials
/// needed): the file under `site.media`, or the object's URL at the S3 endpoint.
struct StoredLocation: Sendable {
    private let locate: @Sendable (String) -> String

    init(configuration: MirrorConfiguration) {
        let s3 = configuration.storage.s3
        if configuration.storage.backend == .s3,
            let address = try? BucketAddress(
                endpoint: s3.endpoint, bucket: s3.bucket, region: s3.region, pathStyle: s3.pathStyle)
        {
            locate = { address.locate(key: s3.key(of: $0)).url }
        } else {
            let files = ContentStore(root: configuration.site.media)
            locate = { files.absolute($0) }
        }
    }

    func callAsFunction(_ path: String) -> String {
        locate(path)
    }
}
