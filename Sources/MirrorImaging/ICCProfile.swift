/// What a thumbnail does with the original's ICC profile: embeds it where it changes how the
/// pixels are shown, leaves it out where it does not apply or changes nothing.
enum ICCProfile {
    /// The profile to embed in a thumbnail of `channels` channels, or nil: the profile's data
    /// colour space must be the pixels' (RGB for RGB, gray for gray: a CMYK profile does not
    /// describe the RGB converted here), and an sRGB profile is left out because untagged
    /// images are shown as sRGB anyway (3 KB saved on a 15 KB thumbnail), unless its tone
    /// curve is linear.
    static func toEmbed(_ profile: [UInt8]?, channels: Int) -> [UInt8]? {
        guard let profile, profile.count >= 132 else { return nil }
        let space = String(decoding: profile[16..<20], as: UTF8.self)
        guard (channels >= 3 && space == "RGB ") || (channels == 1 && space == "GRAY") else { return nil }
        return describesSRGB(profile) && !hasLinearTone(profile) ? nil : profile
    }

    /// True when the red tone curve (`rTRC`) is the identity: a `curv` of no entries or of the
    /// single gamma 1.0, or a `para` curve of gamma 1.0 ("Linear sRGB", "sRGB-elle-V2-g10"):
    /// sRGB primaries, but pixels in linear light, which an untagged image would not show right.
    static func hasLinearTone(_ profile: [UInt8]) -> Bool {
        guard let curve = tag("rTRC", in: profile), curve.count >= 12 else { return false }
        let bytes = Array(curve)
        let type = String(decoding: bytes[0..<4], as: UTF8.self)
        let field = Int(bytes[8]) << 24 | Int(bytes[9]) << 16 | Int(bytes[10]) << 8 | Int(bytes[11])
        switch type {
        case "curv":
            // Entry count, then u8Fixed8 gamma when there is one entry.
            return field == 0 || (field == 1 && bytes.count >= 14 && bytes[12] == 1 && bytes[13] == 0)
        case "para":
            // Function type (u16) and reserved, then the s15Fixed16 gamma.
            guard bytes.count >= 16 else { return false }
            let gamma = Int(bytes[12]) << 24 | Int(bytes[13]) << 16 | Int(bytes[14]) << 8 | Int(bytes[15])
            return bytes[8] == 0 && bytes[9] == 0 && gamma == 0x0001_0000
        default:
            return false
        }
    }

    /// True when the profile's description (`desc` tag, ICC v2 text or v4 `mluc` UTF-16) names
    /// sRGB, as "sRGB IEC61966-2.1", "sRGB built-in" and "sRGB2014" do.
    static func describesSRGB(_ profile: [UInt8]) -> Bool {
        guard let description = tag("desc", in: profile) else { return false }
        let ascii: [UInt8] = Array("sRGB".utf8)
        let utf16: [UInt8] = [0, 0x73, 0, 0x52, 0, 0x47, 0, 0x42]
        return contains(description, ascii) || contains(description, utf16)
    }

    /// The bytes of tag `signature`, from the tag table after the 128-byte header.
    static func tag(_ signature: String, in profile: [UInt8]) -> ArraySlice<UInt8>? {
        func u32(_ offset: Int) -> Int? {
            guard offset >= 0, offset + 4 <= profile.count else { return nil }
            return Int(profile[offset]) << 24 | Int(profile[offset + 1]) << 16 | Int(profile[offset + 2]) << 8
                | Int(profile[offset + 3])
        }
        guard let count = u32(128), count <= 1000 else { return nil }
        let wanted = Array(signature.utf8)
        for index in 0..<count {
            let entry = 132 + 12 * index
            guard let offset = u32(entry + 4), let size = u32(entry + 8), entry + 4 <= profile.count else {
                return nil
            }
            guard Array(profile[entry..<(entry + 4)]) == wanted else { continue }
            guard offset + size <= profile.count else { return nil }
            return profile[offset..<(offset + size)]
        }
        return nil
    }

    private static func contains(_ haystack: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard haystack.count >= needle.count else { return false }
        var start = haystack.startIndex
        while start + needle.count <= haystack.endIndex {
            if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
            start += 1
        }
        return false
    }
}
