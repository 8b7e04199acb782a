import MirrorStore

extension Manifest {
    /// The asset a URL was mirrored to, if its file is still in the store.
    func storedCopy(of url: String, in store: any MediaStore) -> AssetRecord? {
        guard let known = try? urlRecord(url), known.status == .mirrored, let sha = known.asset,
            let asset = try? asset(sha), store.holds(asset.path)
        else { return nil }
        return asset
    }
}
