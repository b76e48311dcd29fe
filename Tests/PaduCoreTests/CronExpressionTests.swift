import Foundation
import XCTest
import PaduCore

final class CronExpressionTests: XCTestCase {
    private let utc = TimeZone(identifier: "UTC")!
    private let jakarta = TimeZone(identifier: "Asia/Jakarta")!
    private let newYork = TimeZone(identifier: "America/New_York")!

    // MARK: - Parsing: valid

    func testValidExpressionsNormalize() throws {
        let cases: [(String, String)] = [
            ("* * * * *", "* * * * *"),
            ("*/15 * * * *", "*/15 * * * *"),
            ("10-40/10 * * * *", "10-40/10 * * * *"),
            ("5/10 * * * *", "5-55/10 * * * *"),
            ("0 9 * * MON-FRI", "0 9 * * 1-5"),
            ("0 9 * * mon-fri", "0 9 * * 1-5"),
            ("0 0 1,15 * 5", "0 0 1,15 * 5"),
            ("0 0 1 jan,Jul *", "0 0 1 1,7 *"),
            ("0 0 1 JAN-MAR *", "0 0 1 1-3 *"),
            ("0 0 * * 0,7", "0 0 * * 0"),
            ("0 0 * * 7", "0 0 * * 0"),
            ("0 0 * * FRI-SUN", "0 0 * * 0,5,6"),
            ("0 0 * * 5-7", "0 0 * * 0,5,6"),
            ("0 0 */2 * *", "0 0 */2 * *"),
            ("0 0 1-31 * MON", "0 0 1-31 * 1"),
            ("0 0 * * */2", "0 0 * * */2"),
            ("0,30 8-17 * * 1-5", "0,30 8-17 * * 1-5"),
            ("1,2,3,5 * * * *", "1-3,5 * * * *"),
            ("  0\t0   * * *  ", "0 0 * * *"),
            ("0 12 * * SUN", "0 12 * * 0"),
            ("00 08 01 01 *", "0 8 1 1 *"),
            ("0 0 29 2 *", "0 0 29 2 *"),
            ("0 0 31 2 MON", "0 0 31 2 1"),
            ("0 0 */31 1 MON", "0 0 */31 1 1"),
            ("0 0 */10,5 * MON", "0 0 */31,5,11,21,31 * 1"),
            ("*/90 * * * *", "0 * * * *"),
            ("0 0 1 * 0-7", "0 0 1 * 0-6"),
            ("@hourly", "0 * * * *"),
            ("@daily", "0 0 * * *"),
            ("@midnight", "0 0 * * *"),
            ("@weekly", "0 0 * * 0"),
            ("@monthly", "0 0 1 * *"),
            ("@yearly", "0 0 1 1 *"),
            ("@ANNUALLY", "0 0 1 1 *"),
        ]
        for (text, normalized) in cases {
            do {
                let expression = try CronExpression(text)
                XCTAssertEqual(expression.description, normalized, text)
                XCTAssertEqual(expression.source, text.trimmingCharacters(in: .whitespacesAndNewlines))
                // The normalized form must parse to an equivalent schedule.
                let reparsed = try CronExpression(normalized)
                XCTAssertEqual(reparsed.description, normalized, text)
            } catch {
                XCTFail("\(text): \(error)")
            }
        }
    }

    // MARK: - Parsing: invalid

    func testInvalidExpressionsReportPreciseMessages() {
        let cases: [(String, String)] = [
            ("", "expression is empty"),
            ("   ", "expression is empty"),
            ("0 0 * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 6"),
            ("0 0 * *", "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
            ("60 * * * *", "minute 60 is out of range 0–59"),
            ("0 24 * * *", "hour 24 is out of range 0–23"),
            ("0 0 0 * *", "day-of-month 0 is out of range 1–31"),
            ("0 0 32 * *", "day-of-month 32 is out of range 1–31"),
            ("0 0 * 0 *", "month 0 is out of range 1–12"),
            ("0 0 * 13 *", "month 13 is out of range 1–12"),
            ("0 0 * * 8", "day-of-week 8 is out of range 0–7"),
            ("0 0-24 * * *", "hour 24 is out of range 0–23"),
            ("99999999999999999999999 * * * *", "out of range 0–59"),
            ("*/0 * * * *", "step 0 in minute element \"*/0\" is invalid"),
            ("0 0 1-10/0 * *", "step 0 in day-of-month"),
            ("*/x * * * *", "invalid step \"x\" in minute"),
            ("*/ * * * *", "invalid step \"\" in minute"),
            ("1/2/3 * * * *", "has more than one '/'"),
            ("/5 * * * *", "missing minute value before '/'"),
            ("30-10 * * * *", "minute range 30-10 is reversed"),
            ("0 0 * * FRI-MON", "day-of-week range FRI-MON is reversed"),
            ("0 0 * DEC-JAN *", "month range DEC-JAN is reversed"),
            ("1,,2 * * * *", "empty element in minute list \"1,,2\""),
            ("0 1, * * *", "empty element in hour list \"1,\""),
            ("0 0 ,1 * *", "empty element in day-of-month list"),
            ("-5 * * * *", "malformed minute range \"-5\""),
            ("1-2-3 * * * *", "malformed minute range \"1-2-3\""),
            ("0 0 * FOO *", "unknown month name \"FOO\""),
            ("0 0 * JANUARY *", "unknown month name \"JANUARY\""),
            ("0 0 * * FUNDAY", "unknown day-of-week name \"FUNDAY\""),
            ("0 0 * MON *", "unknown month name \"MON\""),
            ("0 MON * * *", "invalid hour value \"MON\""),
            ("a * * * *", "invalid minute value \"a\""),
            ("? * * * *", "invalid minute value \"?\""),
            ("@reboot", "@reboot is not supported"),
            ("@fortnightly", "unknown macro @fortnightly"),
            ("@daily 0", "unexpected text after @daily"),
            ("0 0 31 2 *", "day 31 never occurs in February"),
            ("0 0 30 2 *", "day 30 never occurs in February"),
            ("0 0 30,31 2 *", "days 30 and 31 never occur in February"),
            ("0 0 31 4,6 *", "day 31 never occurs in April or June"),
            ("0 0 31 APR,JUN,SEP,NOV *", "day 31 never occurs in April, June, September or November"),
            ("0 0 31 2 */2", "day 31 never occurs in February"),
        ]
        for (text, fragment) in cases {
            XCTAssertThrowsError(try CronExpression(text), text) { error in
                guard let error = error as? CronError else { return XCTFail("\(text): unexpected \(error)") }
                XCTAssertTrue(error.message.contains(fragment), "\(text): got \"\(error.message)\", wanted \"\(fragment)\"")
                XCTAssertTrue(error.description.contains(error.message))
            }
        }
    }

    func testTypedErrorDescriptionIncludesExpression() {
        do {
            _ = try CronExpression(" 0 24 * * * ")
            XCTFail("expected an error")
        } catch {
            XCTAssertEqual(error.expression, "0 24 * * *")
            XCTAssertEqual(error.message, "hour 24 is out of range 0–23")
            XCTAssertEqual(error.description, "invalid cron expression \"0 24 * * *\": hour 24 is out of range 0–23")
        }
    }

    // MARK: - Next fire times

    func testDailyInJakarta() throws {
        // 2026-11-23T20:00Z is 03:00 WIB on 24 Nov, so 02:00 WIB that day has passed.
        try assertSequence("0 2 * * *", after: "2026-11-23T20:00:00Z", in: jakarta, [
            "2026-11-24T19:00:00Z", "2026-11-25T19:00:00Z", "2026-11-26T19:00:00Z",
        ])
        // 2026-11-23T18:30Z is 01:30 WIB on 24 Nov.
        try assertSequence("0 2 * * *", after: "2026-11-23T18:30:00Z", in: jakarta, ["2026-11-23T19:00:00Z"])
    }

    func testEveryFifteenMinutes() throws {
        try assertSequence("*/15 * * * *", after: "2026-01-01T00:07:30Z", in: utc, [
            "2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:00:00Z",
        ])
    }

    func testNextIsStrictlyAfter() throws {
        let expression = try CronExpression("*/15 * * * *")
        XCTAssertEqual(expression.next(after: date("2026-01-01T00:15:00Z"), in: utc), date("2026-01-01T00:30:00Z"))
        XCTAssertEqual(expression.next(after: date("2026-01-01T00:14:59Z"), in: utc), date("2026-01-01T00:15:00Z"))
        let fractional = date("2026-01-01T00:14:59Z").addingTimeInterval(0.999)
        XCTAssertEqual(expression.next(after: fractional, in: utc), date("2026-01-01T00:15:00Z"))
    }

    func testWeekdaysAtNine() throws {
        // Friday 2026-01-09 10:00 WIB → Monday 12 Jan 09:00 WIB.
        try assertSequence("0 9 * * MON-FRI", after: "2026-01-09T03:00:00Z", in: jakarta, [
            "2026-01-12T02:00:00Z", "2026-01-13T02:00:00Z", "2026-01-14T02:00:00Z",
        ])
    }

    func testDayOfMonthOrDayOfWeek() throws {
        // Both restricted: the 1st, the 15th, and every Friday.
        try assertSequence("0 0 1,15 * 5", after: "2025-12-31T12:00:00Z", in: utc, [
            "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z", "2026-01-09T00:00:00Z", "2026-01-15T00:00:00Z",
            "2026-01-16T00:00:00Z", "2026-01-23T00:00:00Z", "2026-01-30T00:00:00Z", "2026-02-01T00:00:00Z",
        ])
    }

    func testWildcardStepDayOfMonthUsesAndRule() throws {
        // `*/2` counts as `*`: odd days of the month that are also Mondays.
        try assertSequence("0 0 */2 * 1", after: "2026-01-01T00:00:00Z", in: utc, [
            "2026-01-05T00:00:00Z", "2026-01-19T00:00:00Z", "2026-02-09T00:00:00Z", "2026-02-23T00:00:00Z",
        ])
    }

    func testSundayAsSeven() throws {
        try assertSequence("0 0 * * 7", after: "2026-01-01T00:00:00Z", in: utc, [
            "2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z",
        ])
    }

    func testMonthlyAndYearly() throws {
        try assertSequence("@monthly", after: "2026-01-31T23:59:00Z", in: utc, [
            "2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z",
        ])
        // 2026-01-31T17:00Z is exactly 1 Feb 00:00 WIB; the next run is 1 March.
        try assertSequence("@monthly", after: "2026-01-31T17:00:00Z", in: jakarta, [
            "2026-02-28T17:00:00Z", "2026-03-31T17:00:00Z",
        ])
        try assertSequence("@yearly", after: "2026-06-01T00:00:00Z", in: utc, [
            "2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z",
        ])
    }

    func testThirtyFirstSkipsShortMonths() throws {
        try assertSequence("0 0 31 * *", after: "2026-01-31T00:00:00Z", in: utc, [
            "2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z",
        ])
    }

    func testLeapDay() throws {
        try assertSequence("0 0 29 2 *", after: "2026-01-01T00:00:00Z", in: utc, [
            "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z",
        ])
        // 2100 is not a leap year: an eight-year gap.
        try assertSequence("0 0 29 2 *", after: "2096-03-01T00:00:00Z", in: utc, ["2104-02-29T00:00:00Z"])
    }

    func testIndonesianZonesHaveFixedOffsets() throws {
        let expression = try CronExpression("0 8 * * *")
        let wita = try XCTUnwrap(CronExpression.timeZone(named: "WITA"))
        let wit = try XCTUnwrap(CronExpression.timeZone(named: "WIT"))
        let wib = try XCTUnwrap(CronExpression.timeZone(named: "WIB"))
        XCTAssertEqual(expression.next(after: date("2026-05-01T00:00:00Z"), in: wita), date("2026-05-02T00:00:00Z"))
        XCTAssertEqual(expression.next(after: date("2026-05-01T00:00:00Z"), in: wit), date("2026-05-01T23:00:00Z"))
        XCTAssertEqual(expression.next(after: date("2026-05-01T00:00:00Z"), in: wib), date("2026-05-01T01:00:00Z"))
        // Same local time all year round.
        XCTAssertEqual(expression.next(after: date("2026-12-01T00:00:00Z"), in: wib), date("2026-12-01T01:00:00Z"))
    }

    // MARK: - Daylight saving time

    func testSpringForwardSkipsMissingTime() throws {
        // 2026-03-08: New York clocks jump from 02:00 EST to 03:00 EDT; 02:30 does not exist.
        try assertSequence("30 2 * * *", after: "2026-03-07T12:00:00Z", in: newYork, [
            "2026-03-09T06:30:00Z", "2026-03-10T06:30:00Z",
        ])
        // 01:30 EST, then 03:00 EDT directly after 01:30 EST.
        try assertSequence("*/30 * * * *", after: "2026-03-08T06:15:00Z", in: newYork, [
            "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z", "2026-03-08T07:30:00Z",
        ])
        // A time after the gap keeps its local meaning (09:00 EDT = 13:00Z).
        try assertSequence("0 9 * * *", after: "2026-03-07T15:00:00Z", in: newYork, [
            "2026-03-08T13:00:00Z", "2026-03-09T13:00:00Z",
        ])
    }

    func testFallBackFiresOnce() throws {
        // 2026-11-01: clocks go back from 02:00 EDT to 01:00 EST; 01:30 happens twice.
        try assertSequence("30 1 * * *", after: "2026-10-31T12:00:00Z", in: newYork, [
            "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z",
        ])
        // Hourly: 01:00 EDT fires, the repeated 01:00 EST does not.
        try assertSequence("0 * * * *", after: "2026-11-01T04:30:00Z", in: newYork, [
            "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z", "2026-11-01T08:00:00Z",
        ])
        // Starting inside the repeated hour.
        try assertSequence("0 * * * *", after: "2026-11-01T06:10:00Z", in: newYork, ["2026-11-01T07:00:00Z"])
        try assertSequence("0 2 * * *", after: "2026-10-31T12:00:00Z", in: newYork, [
            "2026-11-01T07:00:00Z", "2026-11-02T07:00:00Z",
        ])
    }

    func testAgreesWithMinuteByMinuteSearchAcrossTransitions() throws {
        let expressions = ["*/7 * * * *", "15,45 0-3 * * *", "0 1-2 * * SUN", "30 * 1,8 3,11 *", "*/20 1 * * *"]
        let starts = ["2026-03-07T20:00:00Z", "2026-03-08T06:59:00Z", "2026-10-31T22:00:00Z", "2026-11-01T05:59:30Z",
                      "2026-11-01T06:29:00Z"]
        for text in expressions {
            let expression = try CronExpression(text)
            for start in starts {
                var current = date(start)
                for _ in 0..<12 {
                    let expected = bruteForceNext(expression, after: current, in: newYork)
                    let actual = expression.next(after: current, in: newYork)
                    XCTAssertEqual(actual, expected, "\(text) after \(current)")
                    guard let actual else { break }
                    current = actual
                }
            }
        }
    }

    // MARK: - matches

    func testMatches() throws {
        let weekdays = try CronExpression("0 9 * * MON-FRI")
        XCTAssertTrue(weekdays.matches(date("2026-01-12T02:00:00Z"), in: jakarta))  // Mon 09:00 WIB
        XCTAssertTrue(weekdays.matches(date("2026-01-12T02:00:59Z"), in: jakarta))  // seconds ignored
        XCTAssertFalse(weekdays.matches(date("2026-01-12T02:01:00Z"), in: jakarta))
        XCTAssertFalse(weekdays.matches(date("2026-01-11T02:00:00Z"), in: jakarta)) // Sunday
        XCTAssertFalse(weekdays.matches(date("2026-01-12T02:00:00Z"), in: utc))

        let either = try CronExpression("0 0 1,15 * 5")
        XCTAssertTrue(either.matches(date("2026-01-02T00:00:00Z"), in: utc))  // Friday
        XCTAssertTrue(either.matches(date("2026-01-15T00:00:00Z"), in: utc))  // Thursday the 15th
        XCTAssertFalse(either.matches(date("2026-01-14T00:00:00Z"), in: utc))
    }

    func testNextResultsMatch() throws {
        for text in ["*/15 * * * *", "0 9 * * MON-FRI", "0 0 1,15 * 5", "@monthly", "0 0 29 2 *", "5/10 3-5 * JAN,JUL SUN"] {
            let expression = try CronExpression(text)
            var current = date("2026-02-10T10:10:10Z")
            for _ in 0..<20 {
                guard let next = expression.next(after: current, in: jakarta) else { return XCTFail(text) }
                XCTAssertGreaterThan(next, current)
                XCTAssertTrue(expression.matches(next, in: jakarta), "\(text) at \(next)")
                current = next
            }
        }
    }

    // MARK: - Time zones

    func testTimeZoneNames() throws {
        XCTAssertEqual(CronExpression.timeZone(named: "WIB")?.secondsFromGMT(for: Date()), 7 * 3600)
        XCTAssertEqual(CronExpression.timeZone(named: "wita")?.secondsFromGMT(for: Date()), 8 * 3600)
        XCTAssertEqual(CronExpression.timeZone(named: " WIT ")?.secondsFromGMT(for: Date()), 9 * 3600)
        XCTAssertEqual(CronExpression.timeZone(named: "UTC")?.secondsFromGMT(for: Date()), 0)
        XCTAssertEqual(CronExpression.timeZone(named: "WIB")?.identifier, "Asia/Jakarta")
        XCTAssertEqual(CronExpression.timeZone(named: "WITA")?.identifier, "Asia/Makassar")
        XCTAssertEqual(CronExpression.timeZone(named: "WIT")?.identifier, "Asia/Jayapura")
        XCTAssertEqual(CronExpression.timeZone(named: "Asia/Jakarta")?.identifier, "Asia/Jakarta")
        XCTAssertEqual(CronExpression.timeZone(named: "America/New_York")?.identifier, "America/New_York")
        XCTAssertNil(CronExpression.timeZone(named: "Mars/Olympus_Mons"))
        XCTAssertNil(CronExpression.timeZone(named: ""))
    }

    // MARK: - Misc

    func testHashableAndSendable() throws {
        let a = try CronExpression("0 0 * * *")
        let b = try CronExpression("0 0 * * *")
        XCTAssertEqual(a, b)
        XCTAssertEqual(Set([a, b]).count, 1)
        let sendable: any Sendable = a
        XCTAssertNotNil(sendable)
    }

    func testNextIsFast() throws {
        let expressions = try ["0 0 29 2 *", "0 0 31 * *", "0 0 */31 1 MON", "*/5 * * * *", "0 9 * * MON-FRI"]
            .map { try CronExpression($0) }
        let started = Date()
        for expression in expressions {
            var current = date("2026-01-01T00:00:00Z")
            for _ in 0..<200 {
                guard let next = expression.next(after: current, in: newYork) else { return XCTFail("\(expression)") }
                current = next
            }
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 5)
    }

    // MARK: - Helpers

    private func date(_ iso: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let date = formatter.date(from: iso) else { fatalError("bad test date \(iso)") }
        return date
    }

    private func assertSequence(_ text: String, after start: String, in timeZone: TimeZone, _ expected: [String],
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let expression = try CronExpression(text)
        var current = date(start)
        for iso in expected {
            guard let next = expression.next(after: current, in: timeZone) else {
                return XCTFail("\(text): no fire time after \(current)", file: file, line: line)
            }
            XCTAssertEqual(next, date(iso), "\(text) after \(current)", file: file, line: line)
            current = next
        }
    }

    /// Reference implementation: scan UTC minutes, accept a minute whose wall time matches
    /// and that is the first occurrence of that wall time.
    private func bruteForceNext(_ expression: CronExpression, after date: Date, in timeZone: TimeZone) -> Date? {
        var t = (date.timeIntervalSince1970 / 60).rounded(.down) * 60 + 60
        for _ in 0..<(60 * 24 * 400) {
            let candidate = Date(timeIntervalSince1970: t)
            let offset = timeZone.secondsFromGMT(for: candidate)
            let hourEarlier = timeZone.secondsFromGMT(for: candidate.addingTimeInterval(-3600))
            let isRepeat = hourEarlier == offset + 3600
            if !isRepeat && expression.matches(candidate, in: timeZone) {
                return candidate
            }
            t += 60
        }
        return nil
    }
}
