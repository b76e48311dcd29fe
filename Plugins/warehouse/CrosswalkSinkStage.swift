import PaduCore
import PaduWarehouse

/// The `crosswalk` dataset: BPS ↔ Kemendagri code pairs (`region-crosswalk` rows) into `region_crosswalk`.
final class CrosswalkSinkStage: SinkStage {
    private var writer: CrosswalkWriter?

    func beginInput(_ input: InputRef, file: InputFile, context: StageContext) throws {
        writer = CrosswalkWriter(warehouse: try WarehouseSink.warehouse(context), runID: context.runID)
    }

    func finishInput(_ input: InputRef, context: StageContext) throws {
        writer = nil
    }

    func write(_ batch: Batch, rejections: inout Rejections, context: StageContext) throws -> Int {
        guard let writer else { throw WarehouseSinkError(description: "write before beginInput") }
        guard let v = batch.schema.index(of: "version"), let b = batch.schema.index(of: "kode_bps"),
              let k = batch.schema.index(of: "kode_kemendagri") else {
            throw WarehouseSinkError(description: "the rows have no version, kode_bps or kode_kemendagri field; the crosswalk dataset needs the region-crosswalk source")
        }
        let n = batch.schema.index(of: "nama")
        var loaded = 0
        for row in 0..<batch.count {
            let record = CrosswalkRecord(version: batch[row: row, column: v].text ?? "", bpsCode: batch[row: row, column: b].text ?? "",
                                         kemendagriCode: batch[row: row, column: k].text ?? "",
                                         name: n.flatMap { batch[row: row, column: $0].text })
            if try writer.write(record, input: batch.input, row: batch.origins[row].row, sheet: batch.sheet) {
                loaded += 1
            } else {
                rejections.skip(row: row, of: batch, code: "duplicate-pair",
                                message: "BPS \(record.bpsCode) → Kemendagri \(record.kemendagriCode) already appears earlier in this file")
            }
        }
        return loaded
    }
}
