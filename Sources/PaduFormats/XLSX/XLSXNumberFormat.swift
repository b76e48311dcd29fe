import PaduCore
/// Recognises the number formats that display a cell as a date or time.
public enum XLSXNumberFormat {
    /// Built-in number format ids that are dates or times: 14–22, 27–36 and 50–58 (the latter two
    /// ranges are East-Asian date formats), and 45–47 (`mm:ss`, `[h]:mm:ss`, `mmss.0`).
    public static func isBuiltInDateFormat(id: Int) -> Bool {
        (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id)
    }

    /// Whether a number format code displays a date or a time: it contains one of the tokens `d`, `m`,
    /// `y`, `h`, `s` (either case) outside quoted text (`"days"`), escaped characters (`\d`), fill and
    /// padding characters (`*x`, `_x`) and square brackets (`[Red]`, `[$-421]`, `[$Rp-421]`, `[<100]`).
    /// Elapsed-time brackets (`[h]`, `[mm]`, `[ss]`) count as time tokens. Only the first section
    /// (before `;`, the positive-number section) is examined.
    ///
    /// Examples: `dd/mm/yyyy`, `d mmmm yyyy`, `[$-421]dd mmmm yyyy`, `h:mm AM/PM` are dates;
    /// `#,##0`, `[Red]#,##0.00`, `"Rp"#,##0`, `0.00" days"`, `@`, `General` are not.
    public static func isDateFormat(code: String) -> Bool {
        let bytes = Array(code.utf8)[...]
        if bytes.isEmpty { return false }
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                // Quoted literal text.
                index += 1
                while index < bytes.endIndex, bytes[index] != UInt8(ascii: "\"") { index += 1 }
                index += 1
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                // Escaped character, padding the width of the next character, or filling with it.
                index += 2
            case UInt8(ascii: "["):
                // Colour, condition, locale/currency or elapsed time.
                var end = index + 1
                while end < bytes.endIndex, bytes[end] != UInt8(ascii: "]") { end += 1 }
                let inside = bytes[(index + 1)..<min(end, bytes.endIndex)].map { $0 | 0x20 }
                if !inside.isEmpty, inside.allSatisfy({ $0 == UInt8(ascii: "h") })
                    || inside.allSatisfy({ $0 == UInt8(ascii: "m") })
                    || inside.allSatisfy({ $0 == UInt8(ascii: "s") }) {
                    return true
                }
                index = end + 1
            case UInt8(ascii: ";"):
                return false
            default:
                switch byte | 0x20 {
                case UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "y"), UInt8(ascii: "h"), UInt8(ascii: "s"):
                    return true
                default:
                    index += 1
                }
            }
        }
        return false
    }
}

/// A calendar date and time of day decoded from an Excel serial number.
public struct XLSXDateTime: Sendable, Equatable, CustomStringConvertible {
    /// The year, for example 2025.
    public var year: Int
    /// The month, 1–12.
    public var month: Int
    /// The day of the month, 1–31.
    public var day: Int
    /// The hour, 0–23.
    public var hour: Int
    /// The minute, 0–59.
    public var minute: Int
    /// The second, 0–59.
    public var second: Int
    /// The millisecond, 0–999 (Excel stores times to the millisecond).
    public var millisecond: Int

    /// Creates a date and time.
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, millisecond: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.millisecond = millisecond
    }

    /// Whether the time of day is exactly midnight.
    public var isMidnight: Bool { hour == 0 && minute == 0 && second == 0 && millisecond == 0 }

    /// `yyyy-MM-dd` when the time is midnight, otherwise `yyyy-MM-ddTHH:mm:ss` (with `.SSS` when there are milliseconds).
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let date = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
        if isMidnight { return date }
        let time = "\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))"
        return millisecond == 0 ? "\(date)T\(time)" : "\(date)T\(time).\(pad(millisecond, 3))"
    }
}

/// A serial number that is not a valid Excel date.
public struct XLSXDateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The serial number as given.
    public let serial: String
    /// Why it is not a date, and what to do.
    public let message: String

    /// Creates an error.
    public init(serial: String, message: String) {
        self.serial = serial
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Converts Excel date serial numbers to calendar dates.
public enum XLSXDate {
    /// The largest serial Excel accepts: 9999-12-31 in the 1900 system.
    public static let maxSerial1900 = 2_958_465.0
    /// The largest serial Excel accepts in the 1904 system (9999-12-31).
    public static let maxSerial1904 = 2_957_003.0

    /// Converts a serial number written as text (the payload of ``XLSXCellValue/date(serial:)``).
    /// - Throws: ``XLSXDateError`` when the text is not a number or not a valid date (see
    ///   ``dateTime(serial:system:)-(Double,_)``).
    public static func dateTime(serial text: String, system: XLSXDateSystem) throws(XLSXDateError) -> XLSXDateTime {
        guard let serial = Double(text), serial.isFinite else {
            throw XLSXDateError(serial: text, message: "'\(text)' is not a date serial number")
        }
        return try convert(serial, text: text, system: system)
    }

    /// Converts a serial number to a date and time of day, rounded to the millisecond.
    ///
    /// In the 1900 system serial 1 is 1900-01-01 and serial 61 is 1900-03-01; serial 60 is Lotus 1-2-3's
    /// fictitious 1900-02-29 and is refused; serials from 0 to below 61 are therefore one day off the
    /// plain count, and a serial below 1 (a time without a date) lands on day 0, shown as 1899-12-31.
    /// In the 1904 system serial 0 is 1904-01-01.
    /// - Throws: ``XLSXDateError`` for negative serials, serial 60 (1900 system), and serials after 9999-12-31.
    public static func dateTime(serial: Double, system: XLSXDateSystem) throws(XLSXDateError) -> XLSXDateTime {
        try convert(serial, text: String(serial), system: system)
    }

    /// The serial number of a calendar day (at midnight) in `system`; the inverse of
    /// ``dateTime(serial:system:)-(Double,_)`` for whole days.
    public static func serial(year: Int, month: Int, day: Int, system: XLSXDateSystem) -> Int {
        let days = CivilDate.days(year: year, month: month, day: day)
        switch system {
        case .date1904:
            return days - CivilDate.days(year: 1904, month: 1, day: 1)
        case .date1900:
            let count = days - CivilDate.days(year: 1899, month: 12, day: 30)
            return count < 61 ? count - 1 : count
        }
    }

    private static func convert(_ serial: Double, text: String, system: XLSXDateSystem) throws(XLSXDateError) -> XLSXDateTime {
        let maximum = system == .date1900 ? maxSerial1900 : maxSerial1904
        guard serial >= 0 else {
            throw XLSXDateError(serial: text, message: "\(text) is negative, which is not a valid Excel date; correct the cell")
        }
        guard serial < maximum + 1 else {
            throw XLSXDateError(serial: text, message: "\(text) is after 31 December 9999, which is not a valid Excel date; correct the cell")
        }
        var milliseconds = Int64((serial * 86_400_000).rounded())
        var dayNumber = milliseconds / 86_400_000
        milliseconds -= dayNumber * 86_400_000
        let epoch: Int
        switch system {
        case .date1904:
            epoch = CivilDate.days(year: 1904, month: 1, day: 1)
        case .date1900:
            if dayNumber == 60 {
                throw XLSXDateError(
                    serial: text,
                    message: "\(text) is 29 February 1900, a day that does not exist (an old Lotus 1-2-3 error kept by Excel); correct the cell"
                )
            }
            if dayNumber < 61 { dayNumber += 1 }
            epoch = CivilDate.days(year: 1899, month: 12, day: 30)
        }
        let (year, month, day) = CivilDate.civil(days: epoch + Int(dayNumber))
        let totalSeconds = Int(milliseconds / 1000)
        return XLSXDateTime(
            year: year, month: month, day: day,
            hour: totalSeconds / 3600, minute: totalSeconds / 60 % 60, second: totalSeconds % 60,
            millisecond: Int(milliseconds % 1000)
        )
    }


}
