import Foundation
import MirrorBucket
import MirrorConfig
import MirrorStore

/// Opens the store `storage.backend` names. For a bucket the credentials are read here, from
/// `storage.s3.credentials_file` or the `AWS_*` variables, and kept nowhere else.
enum MediaStoreFactory {
    static func store(
        for configuration: MirrorConfiguration,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(MediaStoreFailure) -> any MediaStore {
        switch configuration.storage.backend {
        case .filesystem:
            return DirectoryMediaStore(files: ContentStore(root: configuration.site.media))
        case .s3:
            let s3 = configuration.storage.s3
            let credentials: BucketCredentials
            do throws(BucketFailure) {
                if !s3.credentialsFile.isEmpty {
                    credentials = try BucketCredentials.fromFile(s3.credentialsFile, profile: s3.profile)
                } else if let fromEnvironment = BucketCredentials.fromEnvironment(environment) {
                    credentials = fromEnvironment
                } else {
                    throw BucketFailure(
                        .credentials,
                        "no bucket credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or storage.s3.credentials_file"
                    )
                }
                let address = try BucketAddress(
                    endpoint: s3.endpoint, bucket: s3.bucket, region: s3.region, pathStyle: s3.pathStyle)
                let client = try BucketClient(
                    address: address, credentials: credentials, storageClass: s3.storageClass,
                    cacheControl: s3.cacheControl, concurrency: s3.concurrency,
                    attempts: max(configuration.fetch.attempts, 5), userAgent: configuration.fetch.userAgent)
                return BucketMediaStore(client: client, prefix: s3.prefix, scratch: scratch(for: configuration))
            } catch {
                throw MediaStoreFailure(error)
            }
        }
    }

    /// The store, or why a command cannot run without it (exit 3).
    static func storeOrStop(for configuration: MirrorConfiguration) throws(SyncError) -> any MediaStore {
        do {
            return try store(for: configuration)
        } catch {
            throw SyncError.cannotRun("storage: \(error.message)")
        }
    }

    /// Files in flight to a bucket: beside the manifest, never in the posts or a web root.
    static func scratch(for configuration: MirrorConfiguration) -> String {
        ((configuration.state.database as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("upload-scratch")
    }
}
