import Foundation

/// What a kecamatan code (PP.KK.CC) was, for NIK/KK prefix checks.
public enum KecamatanCodeStatus: Sendable, Equatable {
    case current(name: String)                     // in the 2025 list
    case historical(name: String, lastListed: Int)  // in an older list only (a region split since)
    case unknown
}

public protocol KecamatanCodeDirectory: Sendable {
    /// `dotted` is "PP.KK.CC".
    func status(ofKecamatan dotted: String) -> KecamatanCodeStatus
}

/// The kecamatan codes of the 2016, 2018, 2020, 2022, 2023 and 2025 Kemendagri lists
/// (`wilayah-kecamatan-historical.tsv`). A NIK carries the kecamatan code of the time it was
/// issued, which may have disappeared since when a region was split or renumbered.
public final class HistoricalKecamatanCodes: KecamatanCodeDirectory {
    /// The list year that counts as current.
    public static let currentYear = 2025
    /// The name of the bundled file.
    public static let fileName = "wilayah-kecamatan-historical.tsv"

    private struct Record: Sendable {
        let name: String
        let lastListed: Int
    }
    /// By undotted kecamatan code.
    private let records: [String: Record]

    private static let shared = LoadOnce<HistoricalKecamatanCodes>()

    /// The bundled file, loaded on first use.
    public static func bundled() throws(ReferenceDataError) -> HistoricalKecamatanCodes {
        do {
            return try shared.get {
                try parse(tsv: ReferenceFiles.text(of: fileName), source: ReferenceFiles.path(of: fileName))
            }
        } catch let error as ReferenceDataError {
            throw error
        } catch {
            throw ReferenceDataError("the historical kecamatan codes could not be loaded: \(error)")
        }
    }

    /// From TSV text with a header and the columns `kode`, `nama`, `seen_in` (years
    /// separated by commas). Rows of other levels than kecamatan are ignored.
    public static func parse(tsv: String, source: String = "the historical code list") throws(ReferenceDataError) -> HistoricalKecamatanCodes {
        var records: [String: Record] = [:]
        var problem: ReferenceDataError?
        TSV.forEachRow(tsv) { line, fields in
            guard problem == nil, line > 1 else { return }
            guard fields.count >= 3, let digits = RegionCode.digits(fields[0]) else {
                problem = ReferenceDataError("\(source), line \(line): expected kode, nama and seen_in separated by tabs")
                return
            }
            guard digits.count == 6 else { return }
            let years = fields[2].split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let last = years.max() else {
                problem = ReferenceDataError("\(source), line \(line): seen_in '\(fields[2])' names no list year")
                return
            }
            records[digits] = Record(name: fields[1].trimmingCharacters(in: .whitespaces), lastListed: last)
        }
        if let problem { throw problem }
        return HistoricalKecamatanCodes(records: records)
    }

    private init(records: [String: Record]) { self.records = records }

    /// The status of the kecamatan code `dotted` ("PP.KK.CC"; undotted and spaces are
    /// accepted too). Anything that is not a kecamatan code is `.unknown`.
    public func status(ofKecamatan dotted: String) -> KecamatanCodeStatus {
        guard let digits = RegionCode.digits(dotted), digits.count == 6, let record = records[digits] else { return .unknown }
        return record.lastListed >= Self.currentYear
            ? .current(name: record.name)
            : .historical(name: record.name, lastListed: record.lastListed)
    }
}
