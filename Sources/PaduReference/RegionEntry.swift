/// The four levels of the Kemendagri region list.
///
/// (PaduWarehouse has its own `RegionLevel` with the same cases; this one is named
/// differently so both can be imported together.)
public enum AdministrativeLevel: String, Sendable, Hashable, CaseIterable, Comparable {
    case provinsi, kabupaten, kecamatan, desa

    /// 0 for provinsi … 3 for desa.
    public var depth: Int {
        switch self {
        case .provinsi: return 0
        case .kabupaten: return 1
        case .kecamatan: return 2
        case .desa: return 3
        }
    }

    /// The number of digits of a code at this level: 2, 4, 6 or 10.
    public var codeDigits: Int { [2, 4, 6, 10][depth] }

    /// The written form of a code at this level, e.g. `PP.KK.CC`.
    public var codePattern: String { ["PP", "PP.KK", "PP.KK.CC", "PP.KK.CC.DDDD"][depth] }

    /// The level of a code with `digits` digits, if any.
    public init?(codeDigits digits: Int) {
        switch digits {
        case 2: self = .provinsi
        case 4: self = .kabupaten
        case 6: self = .kecamatan
        case 10: self = .desa
        default: return nil
        }
    }

    public static func < (a: AdministrativeLevel, b: AdministrativeLevel) -> Bool { a.depth < b.depth }
}

/// One region of the Kemendagri list: a provinsi, kabupaten/kota, kecamatan or desa/kelurahan.
public struct RegionEntry: Sendable, Hashable, CustomStringConvertible {
    /// The dotted code, e.g. `18.02.01.2001`.
    public let code: String
    /// The name as written in the list, e.g. `Sri Way Langsep`, `Kabupaten Lampung Tengah`.
    public let name: String
    public let level: AdministrativeLevel
    /// The dotted code of the region containing this one (nil for a provinsi).
    public let parentCode: String?

    public init(code: String, name: String, level: AdministrativeLevel, parentCode: String?) {
        self.code = code
        self.name = name
        self.level = level
        self.parentCode = parentCode
    }

    /// `Sri Way Langsep (18.02.01.2001)`: the form used in messages.
    public var description: String { "\(name) (\(code))" }

    /// For a kabupaten/kota: whether it is a kabupaten (code 01–69). False at other levels.
    public var isKabupaten: Bool { level == .kabupaten && RegionCode.kabupatenNumber(code).map { $0 < 70 } == true }
    /// For a kabupaten/kota: whether it is a kota (code 71–99). False at other levels.
    public var isKota: Bool { level == .kabupaten && RegionCode.kabupatenNumber(code).map { $0 >= 70 } == true }
    /// For a desa/kelurahan: whether it is a kelurahan (first digit of DDDD is 1).
    public var isKelurahan: Bool { level == .desa && code.split(separator: ".").last?.first == "1" }
}

/// Parsing and formatting of Kemendagri codes (`PP.KK.CC.DDDD`).
public enum RegionCode {
    /// The digits of `text` when it is a Kemendagri code of some level, written dotted
    /// (`18.02.01`) or not (`180201`); spaces anywhere are ignored. Nil otherwise.
    public static func digits(_ text: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(10)
        for c in text.unicodeScalars {
            switch c.value {
            case 0x30...0x39: out.append(UInt8(c.value))
            case 0x2E, 0x20, 0x09, 0xA0: continue  // . space tab nbsp
            default: return nil
            }
        }
        return AdministrativeLevel(codeDigits: out.count) == nil ? nil : String(decoding: out, as: UTF8.self)
    }

    /// `1802012001` → `18.02.01.2001` (any prefix of that shape).
    public static func dotted(_ digits: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(13)
        for (i, b) in digits.utf8.enumerated() {
            if i == 2 || i == 4 || i == 6 { out.append(UInt8(ascii: ".")) }
            out.append(b)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `18.02.01` → `180201`.
    public static func undotted(_ dotted: String) -> String { dotted.filter { $0 != "." } }

    /// The KK part of a kabupaten/kota code as a number (`18.71` → 71).
    static func kabupatenNumber(_ code: String) -> Int? {
        let parts = code.split(separator: ".")
        return parts.count == 2 ? Int(parts[1]) : nil
    }
}
