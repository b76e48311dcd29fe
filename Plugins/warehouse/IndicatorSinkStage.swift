import PaduCore
import PaduWarehouse

/// The `indicators` dataset: statistical observations (`bps-table` rows) into `indicator`.
final class IndicatorSinkStage: SinkStage {
    private var writer: IndicatorWriter?

    func beginInput(_ input: InputRef, file: InputFile, context: StageContext) throws {
        writer = IndicatorWriter(warehouse: try WarehouseSink.warehouse(context), runID: context.runID)
    }

    func finishInput(_ input: InputRef, context: StageContext) throws {
        writer = nil
    }

    func write(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Int {
        guard let writer else { throw WarehouseSinkError(description: "write before beginInput") }
        let s = batch.schema
        let required = ["variable_code", "region_code", "period", "value"]
        let missing = required.filter { s.index(of: $0) == nil }
        guard missing.isEmpty else {
            throw WarehouseSinkError(description: "the rows have no \(missing.joined(separator: ", ")) field; the indicators dataset needs a statistical source such as bps-table")
        }
        func text(_ field: String, _ row: Int) -> String? {
            guard let c = s.index(of: field) else { return nil }
            let t = batch[row: row, column: c].text
            return t?.isEmpty == true ? nil : t
        }
        var loaded = 0
        for row in 0..<batch.count {
            guard let variable = text("variable_code", row), let region = text("region_code", row),
                  let period = text("period", row) else {
                rejections.quarantine(row: row, of: batch, code: "incomplete-observation",
                                      message: "an observation needs a variable, a region and a period")
                continue
            }
            guard let value = text("value", row) else {
                rejections.skip(row: row, of: batch, code: "no-value",
                                message: "no value published for \(variable) in \(region), \(period) (BPS writes '-' or leaves it empty)")
                continue
            }
            var record = IndicatorRecord(source: text("source", row) ?? "BPS", variableCode: variable, regionCode: region,
                                         period: period, value: value)
            record.variableLabel = text("variable_label", row)
            record.unit = text("unit", row)
            record.breakdown = text("breakdown", row)
            record.regionLabel = text("region_label", row)
            record.sourceKey = text("source_key", row)
            switch try writer.write(record, input: batch.input, row: batch.origins[row].row, sheet: batch.sheet) {
            case .loaded: loaded += 1
            case .duplicate:
                rejections.quarantine(row: row, of: batch, code: "duplicate-observation",
                                      message: "\(variable) for region \(region), \(period) appears twice in this input")
            }
        }
        return loaded
    }
}
