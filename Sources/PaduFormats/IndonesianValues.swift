import PaduCore

/// Parsing of values the way Indonesian offices write them.
public enum IndonesianValues {
    /// Month names and abbreviations (Indonesian and English), upper case.
    static let months: [String: Int] = [
        "JANUARI": 1, "JAN": 1, "JANUARY": 1, "FEBRUARI": 2, "FEB": 2, "PEBRUARI": 2, "FEBRUARY": 2,
        "MARET": 3, "MAR": 3, "MARCH": 3, "APRIL": 4, "APR": 4, "MEI": 5, "MAY": 5, "JUNI": 6, "JUN": 6, "JUNE": 6,
        "JULI": 7, "JUL": 7, "JULY": 7, "AGUSTUS": 8, "AGU": 8, "AGT": 8, "AGS": 8, "AUG": 8, "AUGUST": 8,
        "SEPTEMBER": 9, "SEP": 9, "SEPT": 9, "OKTOBER": 10, "OKT": 10, "OCT": 10, "OCTOBER": 10,
        "NOVEMBER": 11, "NOV": 11, "NOPEMBER": 11, "DESEMBER": 12, "DES": 12, "DEC": 12, "DECEMBER": 12,
    ]

    /// Weekday names and abbreviations (Indonesian and English), upper case, without
    /// punctuation → ISO weekday (1 = Monday ... 7 = Sunday).
    static let weekdays: [String: Int] = [
        "SENIN": 1, "SEN": 1, "MONDAY": 1, "MON": 1,
        "SELASA": 2, "SEL": 2, "TUESDAY": 2, "TUE": 2, "TUES": 2,
        "RABU": 3, "RAB": 3, "WEDNESDAY": 3, "WED": 3,
        "KAMIS": 4, "KAM": 4, "THURSDAY": 4, "THU": 4, "THUR": 4, "THURS": 4,
        "JUMAT": 5, "JUM": 5, "FRIDAY": 5, "FRI": 5,
        "SABTU": 6, "SAB": 6, "SATURDAY": 6, "SAT": 6,
        "MINGGU": 7, "MIN": 7, "AHAD": 7, "SUNDAY": 7, "SUN": 7,
    ]

    /// A date written as `14/07/2025`, `14-07-2025`, `14.07.2025`, `14/07/2025 0:00:00`,
    /// `2025-07-14`, `2025-07-14T00:00:00`, `14 Juli 2025`, `14 Agustus 2025`, `14-Agu-2025`,
    /// `14-Des-2025`, or any of these after a weekday (`Senin, 14 Juli 2025`, `Jum'at 18 Juli
    /// 2025`). Day first, as in Indonesia. Two-digit years are refused (the century is
    /// unknowable). A weekday that does not fall on the date (`Selasa, 14 Juli 2025`) makes the
    /// text contradictory: nil.
    ///
    /// A bare number (`45852`) is never taken for an Excel serial here; a reader that knows
    /// the cell is a numeric date calls `excelSerialToDate`.
    public static func parseDate(_ text: String) -> CivilDate? {
        var s = Substring(text.trimmingWhitespace())
        if s.isEmpty { return nil }
        var weekday: Int?
        // "Senin, 14 Juli 2025", "Jum'at 18 Juli 2025": a leading word that is a weekday.
        if let first = s.first, first.isLetter {
            let end = s.firstIndex(where: { $0 == "," || $0 == " " || $0 == "\u{00A0}" }) ?? s.endIndex
            let word = String(s[..<end]).uppercased().filter { $0 != "'" && $0 != "’" && $0 != "." }
            if let day = weekdays[word] {
                weekday = day
                s = s[end...].drop(while: { $0 == "," || $0 == " " || $0 == "\u{00A0}" })
            }
        }
        guard let date = parseDayMonthYear(s) else { return nil }
        if let weekday, date.isoWeekday != weekday { return nil }
        return date
    }

    private static func parseDayMonthYear(_ text: Substring) -> CivilDate? {
        var s = text
        // Drop a time part: "14/07/2025 0:00:00", "14 Juli 2025 00:00", "2025-07-14T00:00:00".
        if s.utf8.contains(UInt8(ascii: ":")) {
            if let space = s.lastIndex(of: " "), s[s.index(after: space)...].utf8.contains(UInt8(ascii: ":")) {
                s = s[..<space].drop(while: { $0 == " " })
                while s.last == " " { s = s.dropLast() }
            } else if s.count > 10, s[s.index(s.startIndex, offsetBy: 10)] == "T" {
                s = s.prefix(10)
            }
        }
        let parts = s.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == " " || $0 == "\u{00A0}" })
        guard parts.count == 3 else { return nil }
        let a = String(parts[0]), b = String(parts[1]), c = String(parts[2])
        if a.count == 4, let y = Int(a), let m = Int(b), let d = Int(c) {
            return CivilDate(year: y, month: m, day: d)
        }
        guard c.count == 4, let y = Int(c), let d = Int(a), a.count <= 2 else { return nil }
        if let m = Int(b), b.count <= 2 { return CivilDate(year: y, month: m, day: d) }
        if let m = months[b.uppercased()] { return CivilDate(year: y, month: m, day: d) }
        return nil
    }

    /// The date of an Excel serial day number (the integer part; a time fraction is ignored).
    ///
    /// - 1900 system (`date1904: false`, Windows Excel's default): serial 1 is 1900-01-01.
    ///   Excel copies Lotus 1-2-3 in counting a 29 February 1900 that never existed: serial 60
    ///   is that day, so it gives nil; serials 1–59 (1900-01-01 ... 1900-02-28) are counted from
    ///   1899-12-31 and serials from 61 (1900-03-01) from 1899-12-30. Serial 0 ("1900-01-00")
    ///   and negatives give nil.
    /// - 1904 system (`date1904: true`, set in the workbook's `workbookPr`): serial 0 is
    ///   1904-01-01; negatives give nil.
    ///
    /// Nil also beyond 9999-12-31 and for non-finite values.
    public static func excelSerialToDate(_ serial: Double, date1904: Bool) -> CivilDate? {
        // Serial 0 is a time of day without a date (1900 system): not a date.
        guard serial.isFinite, date1904 || serial >= 1,
              let d = try? XLSXDate.dateTime(serial: serial.rounded(.down), system: date1904 ? .date1904 : .date1900) else { return nil }
        return CivilDate(year: d.year, month: d.month, day: d.day)
    }

    /// The date of an Excel serial written as the text of a numeric cell (`45852`,
    /// `45852.5`); see `excelSerialToDate(_:date1904:)` for the rules. Nil for anything but
    /// plain digits with an optional fraction.
    public static func excelSerialToDate(_ serial: String, date1904: Bool) -> CivilDate? {
        let text = serial.trimmingWhitespace()
        guard !text.isEmpty, text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: ".") }),
              text.utf8.filter({ $0 == UInt8(ascii: ".") }).count <= 1, text.first != ".",
              let value = Double(text) else { return nil }
        return excelSerialToDate(value, date1904: date1904)
    }

    /// `YA/TIDAK`, `Y/T`, `1/0`, `TRUE/FALSE`, `ADA/TIDAK ADA`; nil when the text is not a flag.
    public static func parseFlag(_ text: String) -> Bool? {
        switch text.trimmingWhitespace().uppercased() {
        case "YA", "Y", "1", "TRUE", "YES", "ADA", "V", "✓", "PENERIMA": return true
        case "TIDAK", "T", "0", "FALSE", "NO", "N", "TDK", "TIDAK ADA", "BUKAN", "BUKAN PENERIMA": return false
        default: return nil
        }
    }

    /// `L`/`P`, `LAKI-LAKI`/`PEREMPUAN`, `PRIA`/`WANITA`, `1`/`2` → `L` or `P`.
    public static func parseSex(_ text: String) -> String? {
        switch text.trimmingWhitespace().uppercased() {
        case "L", "LAKI-LAKI", "LAKI LAKI", "LAKILAKI", "LAKI", "PRIA", "1", "LK": return "L"
        case "P", "PEREMPUAN", "WANITA", "2", "PR": return "P"
        default: return nil
        }
    }
}

extension CivilDate {
    /// ISO weekday: 1 = Monday (Senin) ... 7 = Sunday (Minggu).
    var isoWeekday: Int {
        let days = daysSince1970
        // 1970-01-01 was a Thursday (4).
        return ((days % 7) + 7 + 3) % 7 + 1
    }
}
