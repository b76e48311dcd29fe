import PaduCore

/// Reads the sheets of one input one after the other, each through its own `ShapedSheetReader`.
public final class SheetSequenceReader: BatchReader {
    private var openers: [SheetOpener]
    private var current: ShapedSheetReader?
    private let input: InputRef
    private let converter: any SheetRecordConverter
    private var consumed: Int64 = 0
    private let severalSheets: Bool

    public init(sheets: [SheetOpener], input: InputRef, converter: any SheetRecordConverter) {
        self.openers = sheets
        self.severalSheets = sheets.count > 1
        self.input = input
        self.converter = converter
    }

    public var bytesRead: Int64 { consumed + (current?.bytesRead ?? 0) }
    private var pendingColumns: [InputColumn] = []

    public func takeColumns() -> [InputColumn] {
        let out = pendingColumns + (current?.takeColumns() ?? [])
        pendingColumns = []
        return out
    }

    public func next(rejections: inout Rejections) throws -> Batch? {
        while true {
            if current == nil {
                guard !openers.isEmpty else { return nil }
                let opener = openers.removeFirst()
                // With several sheets and none named, a sheet without a table (a summary) is skipped.
                let tolerate = !opener.requested && severalSheets
                current = ShapedSheetReader(rows: try opener.open(), input: input, converter: converter, tolerateNoTable: tolerate)
            }
            if let batch = try current!.next(rejections: &rejections) { return batch }
            consumed += current!.bytesRead
            pendingColumns += current!.takeColumns()
            current!.close()
            current = nil
        }
    }

    public func close() { current?.close() }
}
