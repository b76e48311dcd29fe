import PaduCore

/// Checks a NIK or No. KK (`PPKKCC DDMMYY SSSS`) as written in a cell, without changing it.
///
/// In order: the text form (Excel damage, length, digits, placeholders), the region prefix
/// against the kecamatan lists, the date part, the serial, then — given the row's own
/// columns — sex and birth date (NIK only) and the kabupaten of domicile. Damaged values
/// are flagged, never repaired. Every message masks the identifier (`1802********0001`).
public struct IdentityNumberValidator: Sendable {
    public let kind: IdentityNumberKind
    public let directory: any KecamatanCodeDirectory
    /// The day checks run on: birth and issue dates are not after it.
    public let today: CivilDate
    /// The severity of a disagreement with the row's sex or birth date (NIK only).
    public let mismatchSeverity: IdentityIssue.Severity

    public init(kind: IdentityNumberKind, directory: any KecamatanCodeDirectory, today: CivilDate,
                mismatchSeverity: IdentityIssue.Severity = .note) {
        self.kind = kind
        self.directory = directory
        self.today = today
        self.mismatchSeverity = mismatchSeverity
    }

    /// Checks `raw` (the cell as text).
    ///
    /// - `sex`: the row's sex column (`L`/`P`, also `LAKI-LAKI`, `PEREMPUAN`...); NIK only.
    /// - `birthDate`: the row's birth date; NIK only. Also settles the century when it agrees.
    /// - `domicileCode`: the row's Kemendagri region code at any level (`18`, `18.02`,
    ///   `18.02.01.2001` or undotted); a different kabupaten is only a note.
    public func check(_ raw: String, sex: String? = nil, birthDate: CivilDate? = nil, domicileCode: String? = nil) -> IdentityCheck {
        let digits: String
        switch IdentifierText.classify(raw, fromNumericCell: false) {
        case .damaged(let reason):
            return textProblem(raw, code: "damaged",
                               "\(kind.displayName) \(masked(raw)) is damaged: \(reason). It is not repaired: the lost digit cannot be guessed")
        case .notAnIdentifier(let reason):
            let code = Self.textCode(raw)
            let todo = code == "placeholder"
                ? "leave the cell empty when the number is unknown, or fill in the real one from the \(source)"
                : "copy the number again from the \(source)"
            return textProblem(raw, code: code, "\(kind.displayName) \(masked(raw)) is not usable: \(reason); \(todo)")
        case .text(let text):
            digits = text
        }
        return checkDigits(digits, sex: sex, birthDate: birthDate, domicileCode: domicileCode)
    }

    /// Checks an identifier already known to be 16 digits.
    private func checkDigits(_ digits: String, sex: String?, birthDate: CivilDate?, domicileCode: String?) -> IdentityCheck {
        let d = Array(digits.utf8).map { Int($0) - 48 }
        let pair: (Int) -> Int = { d[$0] * 10 + d[$0 + 1] }
        let masked = PersonalData.maskNIK(digits)
        let name = "\(kind.displayName) \(masked)"
        let prefix = Self.dotted([pair(0), pair(2), pair(4)])
        let serial = String(digits.suffix(4))
        var issues: [IdentityIssue] = []

        // Region of registration.
        let regionIsReal = pair(0) != 0 && pair(2) != 0
        let region: KecamatanCodeStatus = regionIsReal ? directory.status(ofKecamatan: prefix) : .unknown
        if !regionIsReal {
            let level = pair(0) == 0 ? "province code 00" : "kabupaten/kota code 00"
            issues.append(issue("region-unknown", .invalid,
                "\(name) starts with \(prefix), but \(level) does not exist; the first six digits are the kecamatan where the number was registered — check them against the \(source)"))
        } else {
            switch region {
            case .current:
                break
            case .historical(let kecamatan, let lastListed):
                issues.append(issue("region-historical", .note,
                    "\(name): prefix \(prefix) was kecamatan \(kecamatan) until the \(lastListed) list; the region has been split since — valid"))
            case .unknown:
                issues.append(issue("region-unknown", .invalid,
                    "\(name) starts with \(prefix), which is not a kecamatan code in any Kemendagri list since 2016; the first six digits are the kecamatan where the number was registered — check them against the \(source)"))
            }
        }

        // Date part.
        let (date, encodedSex, dateIssue) = decodeDate(day: pair(6), month: pair(8), year: pair(10), hint: birthDate, name: name)
        if let dateIssue { issues.append(dateIssue) }

        // Serial.
        if serial == "0000" {
            issues.append(issue("serial-0000", .invalid,
                "\(name) ends in serial 0000; serials start at 0001, so this is a made-up or cut-off number — fill in the real one from the \(source)"))
        }

        // Cross-checks with the row (NIK only), when the date part is a date.
        if kind == .nik, date != nil, let encodedSex, let given = sex.flatMap(IdentitySex.init(column:)), given != encodedSex {
            let encoded = encodedSex == .female ? "a woman (day part 41–71, the day + 40)" : "a man (day part 01–31)"
            issues.append(issue("sex-mismatch", mismatchSeverity,
                "\(name) encodes \(encoded) but the row gives sex \(given.rawValue); the NIK or the sex column is wrong — check both against the KTP"))
        }
        if kind == .nik, date != nil, let birthDate {
            let day = pair(6) > 40 ? pair(6) - 40 : pair(6)
            if birthDate.day != day || birthDate.month != pair(8) || birthDate.year % 100 != pair(10) {
                issues.append(issue("birthdate-mismatch", mismatchSeverity,
                    "\(name) encodes the birth date \(Self.two(day))-\(Self.two(pair(8)))-\(Self.two(pair(10))) (DD-MM-YY) but the row gives \(birthDate.iso); the NIK or the birth date column is wrong — check both against the KTP or KK"))
            }
        }

        // Domicile: another kabupaten is normal after a move (not said of an unknown prefix).
        if let kecamatan = Self.name(of: region), let domicile = domicileCode.flatMap(Self.segments), !domicile.isEmpty {
            let level = min(domicile.count, 2)
            let registered = Array([pair(0), pair(2)].prefix(level))
            if registered != Array(domicile.prefix(level)) {
                issues.append(issue("registered-elsewhere", .note,
                    "\(name) was registered in kecamatan \(kecamatan) (\(prefix)), outside the row's \(level == 1 ? "province" : "kabupaten/kota") \(Self.dotted(Array(domicile.prefix(level)))); the prefix keeps the place of first registration, so this is normal after a move — valid"))
            }
        }

        return IdentityCheck(kind: kind, identifier: digits, masked: masked, issues: issues, regionPrefix: prefix,
                             date: date, sex: kind == .nik ? encodedSex : nil, serial: serial)
    }

    /// Reads `DDMMYY`: the date (century chosen), the sex (NIK) and the problem, if any.
    private func decodeDate(day rawDay: Int, month: Int, year yy: Int, hint: CivilDate?, name: String)
        -> (CivilDate?, IdentitySex?, IdentityIssue?) {
        let what = kind == .nik ? "birth date" : "issue date"
        let where_ = "digits 7–12 are the \(what) as DDMMYY"
        var day = rawDay
        var sex: IdentitySex? = nil
        if kind == .nik {
            switch rawDay {
            case 1...31: sex = .male
            case 41...71: sex = .female; day = rawDay - 40
            default:
                return (nil, nil, issue("bad-date", .invalid,
                    "\(name): the day part \(Self.two(rawDay)) is neither 01–31 (men) nor 41–71 (women: the day + 40); the \(where_) — check the NIK against the KTP or KK"))
            }
        } else if !(1...31).contains(rawDay) {
            return (nil, nil, issue("bad-date", .invalid,
                "\(name): the day part \(Self.two(rawDay)) is not 01–31; the \(where_) — check the number against the family card"))
        }
        guard (1...12).contains(month) else {
            return (nil, sex, issue("bad-date", .invalid,
                "\(name): the month part \(Self.two(month)) is not 01–12; the \(where_) — check the number against the \(source)"))
        }
        guard let date = chooseCentury(day: day, month: month, yy: yy, hint: kind == .nik ? hint : nil) else {
            return (nil, sex, issue("bad-date", .invalid,
                "\(name): the \(what) part gives day \(Self.two(day)) of month \(Self.two(month)) in '\(Self.two(yy)), which does not exist; the \(where_) — check the number against the \(source)"))
        }
        return (date, sex, nil)
    }

    /// 20YY unless that is after `today` (then 19YY); the row's birth date settles it when its
    /// year ends in YY and the date is not in the future.
    private func chooseCentury(day: Int, month: Int, yy: Int, hint: CivilDate?) -> CivilDate? {
        if let hint, hint.year % 100 == yy, let date = CivilDate(year: hint.year, month: month, day: day), date <= today {
            return date
        }
        if let date = CivilDate(year: 2000 + yy, month: month, day: day), date <= today { return date }
        if let date = CivilDate(year: 1900 + yy, month: month, day: day), date <= today { return date }
        return nil
    }

    private func issue(_ code: String, _ severity: IdentityIssue.Severity, _ message: String) -> IdentityIssue {
        IdentityIssue(code: "\(kind.codePrefix)-\(code)", message: message, severity: severity)
    }

    private func textProblem(_ raw: String, code: String, _ message: String) -> IdentityCheck {
        IdentityCheck(kind: kind, identifier: nil, masked: masked(raw),
                      issues: [issue(code, .invalid, message)])
    }

    /// What to check a number against.
    private var source: String { kind == .nik ? "KTP or KK" : "family card (KK)" }

    /// The masked form of a cell as written (trimmed, without Excel's `'`).
    private func masked(_ raw: String) -> String {
        var text = Substring(raw.trimmingWhitespace())
        if text.first == "'" { text = text.dropFirst() }
        return PersonalData.maskNIK(String(text))
    }

    /// The code for a text that is not an identifier: `placeholder`, `length` or `not-digits`.
    private static func textCode(_ raw: String) -> String {
        var text = Substring(raw.trimmingWhitespace())
        if text.first == "'" { text = text.dropFirst() }
        guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return "not-digits" }
        return text.utf8.count == 16 ? "placeholder" : "length"
    }

    /// A region code as its two-digit-per-level numbers (`18.02.01.2001` → [18, 2, 1, 2001]);
    /// nil when it is not a region code. Undotted codes of 2, 4, 6 or 10 digits are split.
    static func segments(_ code: String) -> [Int]? {
        let text = code.trimmingWhitespace()
        let parts: [Substring]
        if text.utf8.contains(UInt8(ascii: ".")) {
            parts = text.split(separator: ".", omittingEmptySubsequences: false)
        } else {
            guard [2, 4, 6, 10].contains(text.utf8.count) else { return nil }
            var rest = Substring(text)
            var out: [Substring] = []
            while !rest.isEmpty {
                let n = out.count < 3 ? 2 : rest.count
                out.append(rest.prefix(n))
                rest = rest.dropFirst(n)
            }
            parts = out
        }
        guard let first = parts.first, first.utf8.count == 2 else { return nil }
        let numbers = parts.compactMap { p in p.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) && !p.isEmpty ? Int(p) : nil }
        return numbers.count == parts.count ? numbers : nil
    }

    /// The kecamatan's name, nil for an unknown code.
    private static func name(of status: KecamatanCodeStatus) -> String? {
        switch status {
        case .current(let name), .historical(let name, _): return name
        case .unknown: return nil
        }
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    static func dotted(_ parts: [Int]) -> String { parts.map(two).joined(separator: ".") }
}
