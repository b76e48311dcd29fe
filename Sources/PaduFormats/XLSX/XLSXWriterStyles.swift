/// The fixed style table of workbooks written by ``XLSXWriter``: the `cellXfs` indexes cells refer to
/// and the `xl/styles.xml` part declaring them.
enum XLSXWriterStyles {
    /// The default style (General).
    static let general = 0
    /// The header row: bold.
    static let header = 1
    /// `#,##0` (built-in format 3).
    static let integer = 2
    /// `dd/mm/yyyy` (custom format 164).
    static let date = 3
    /// `0.00%` (built-in format 10).
    static let percent = 4

    /// `#,##0.0` … `#,##0.000000` for 1 to 6 decimals (custom formats 165–170).
    static func decimal(scale: Int) -> Int {
        scale <= 0 ? integer : 4 + min(scale, 6)
    }

    /// The style of numbers in a column of `kind`.
    static func number(_ kind: XLSXColumn.Kind) -> Int {
        switch kind {
        case .text, .date: return general
        case .integer: return integer
        case .decimal(let scale): return decimal(scale: scale)
        case .percent: return percent
        }
    }

    /// The default style of the column's cells (`<col style>`), used for cells typed in later.
    static func column(_ kind: XLSXColumn.Kind) -> Int {
        kind == .date ? date : number(kind)
    }

    /// The `xl/styles.xml` part.
    static var part: String {
        var formats = [#"<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>"#]
        for scale in 1...6 {
            formats.append(##"<numFmt numFmtId="\##(164 + scale)" formatCode="#,##0.\##(String(repeating: "0", count: scale))"/>"##)
        }
        var cellFormats = [
            #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
            #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
            #"<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
            #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
            #"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
        ]
        for scale in 1...6 {
            cellFormats.append(#"<xf numFmtId="\#(164 + scale)" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#)
        }
        return XLSXPackageParts.declaration
            + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<numFmts count="\#(formats.count)">\#(formats.joined())</numFmts>"#
            + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>"#
            + #"<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>"#
            + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
            + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="\#(cellFormats.count)">\#(cellFormats.joined())</cellXfs>"#
            + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
            + "</styleSheet>"
    }
}
