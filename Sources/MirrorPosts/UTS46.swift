import Foundation

/// UTS #46 processing of an internationalised host before Punycode, as browsers do it (the
/// WHATWG URL standard's "domain to ASCII": nontransitional, no STD3 rules, no hyphen checks).
/// Each code point is kept, mapped (case, full-width and compatibility forms: `ＡＢＣ` → `abc`,
/// `①` → `1`, `。` → `.`), dropped (soft hyphen, variation selectors) or makes the host invalid;
/// the result is put in NFC. The table is generated: `scripts/generate-uts46-table.py`.
///
/// Of the validity criteria, checked: statuses after normalization, no leading combining mark,
/// no non-ASCII label that claims to be Punycode (`xn--`), and no code point the URL standard
/// forbids in a domain (a full-width `／` maps to `/` and would change where the host ends).
/// Not checked: the Bidi rule (RFC 5893) and the ContextJ rules for ZWJ/ZWNJ (RFC 5892); a host
/// that breaks them still gets an `xn--` form, which no DNS name will answer to, so its fetch
/// fails and is recorded like any unreachable host.
enum UTS46 {
    /// Rows of the table: first code point, status byte (`V`, `M`, `I`, `D`, `X`) and, for `M`,
    /// what the code point maps to. A row runs up to the next row's first code point.
    private static let rows: (starts: [UInt32], statuses: [UInt8], mappings: [[Unicode.Scalar]]) = {
        var starts: [UInt32] = []
        var statuses: [UInt8] = []
        var mappings: [[Unicode.Scalar]] = []
        starts.reserveCapacity(8_400)
        statuses.reserveCapacity(8_400)
        mappings.reserveCapacity(8_400)
        for line in UTS46Table.text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let start = UInt32(fields[0], radix: 16), let status = fields[1].utf8.first
            else { continue }
            starts.append(start)
            statuses.append(status)
            mappings.append(fields.dropFirst(2).compactMap { UInt32($0, radix: 16).flatMap(Unicode.Scalar.init) })
        }
        return (starts, statuses, mappings)
    }()

    /// The host mapped and in NFC, labels still in Unicode; nil when it cannot be a valid host.
    static func map(_ host: String) -> String? {
        var mapped = String.UnicodeScalarView()
        for scalar in host.unicodeScalars {
            let row = row(of: scalar)
            switch rows.statuses[row] {
            case UInt8(ascii: "V"), UInt8(ascii: "D"): mapped.append(scalar)
            case UInt8(ascii: "M"): mapped.append(contentsOf: rows.mappings[row])
            case UInt8(ascii: "I"): continue
            default: return nil
            }
        }
        let normalized = String(mapped).precomposedStringWithCanonicalMapping
        for label in normalized.split(separator: ".", omittingEmptySubsequences: false)
        where !isValid(label) {
            return nil
        }
        return normalized
    }

    /// The validity criteria this type checks (see the type's comment), for one label.
    private static func isValid(_ label: Substring) -> Bool {
        if label.unicodeScalars.allSatisfy(\.isASCII) {
            return label.unicodeScalars.allSatisfy { !isForbiddenInDomain($0) }
        }
        if label.hasPrefix("xn--") { return false }
        if let first = label.unicodeScalars.first {
            switch first.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark: return false
            default: break
            }
        }
        for scalar in label.unicodeScalars {
            if isForbiddenInDomain(scalar) { return false }
            let status = rows.statuses[row(of: scalar)]
            guard status == UInt8(ascii: "V") || status == UInt8(ascii: "D") else { return false }
        }
        return true
    }

    /// The URL standard's forbidden domain code points: C0 controls, space, `#%/:<>?@[\]^|`, DEL.
    private static func isForbiddenInDomain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x20, 0x7F: return true
        case 0x23, 0x25, 0x2F, 0x3A, 0x3C, 0x3E, 0x3F, 0x40, 0x5B, 0x5C, 0x5D, 0x5E, 0x7C: return true
        default: return false
        }
    }

    /// The index of the row whose range holds `scalar`.
    private static func row(of scalar: Unicode.Scalar) -> Int {
        let starts = rows.starts
        var low = 0
        var high = starts.count
        // The last row whose first code point is at most the scalar; row 0 starts at U+0000.
        while low + 1 < high {
            let middle = (low + high) / 2
            if starts[middle] <= scalar.value { low = middle } else { high = middle }
        }
        return low
    }
}
