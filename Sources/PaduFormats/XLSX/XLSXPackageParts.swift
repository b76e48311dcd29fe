#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The small XML parts of a workbook written by ``XLSXWriter``: content types, relationships,
/// document properties and the workbook index.
enum XLSXPackageParts {
    static let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    private static let mainNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    private static let relationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships"
    private static let officeRelationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// `[Content_Types].xml` for `sheetCount` worksheets.
    static func contentTypes(sheetCount: Int) -> String {
        let office = "application/vnd.openxmlformats-officedocument"
        var overrides = [
            #"<Override PartName="/xl/workbook.xml" ContentType="\#(office).spreadsheetml.sheet.main+xml"/>"#,
            #"<Override PartName="/xl/styles.xml" ContentType="\#(office).spreadsheetml.styles+xml"/>"#,
            #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#,
            #"<Override PartName="/docProps/app.xml" ContentType="\#(office).extended-properties+xml"/>"#,
        ]
        for number in stride(from: 1, through: sheetCount, by: 1) {
            overrides.append(
                #"<Override PartName="/\#(worksheetPart(number))" ContentType="\#(office).spreadsheetml.worksheet+xml"/>"#
            )
        }
        return declaration
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
            + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
            + #"<Default Extension="xml" ContentType="application/xml"/>"#
            + overrides.joined() + "</Types>"
    }

    /// `_rels/.rels`.
    static let packageRelationships = declaration
        + #"<Relationships xmlns="\#(relationshipsNamespace)">"#
        + #"<Relationship Id="rId1" Type="\#(officeRelationships)/officeDocument" Target="xl/workbook.xml"/>"#
        + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
        + #"<Relationship Id="rId3" Type="\#(officeRelationships)/extended-properties" Target="docProps/app.xml"/>"#
        + "</Relationships>"

    /// `docProps/app.xml`.
    static let appProperties = declaration
        + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" "#
        + #"xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">"#
        + "<Application>Padu</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        + "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        + "</Properties>"

    /// `docProps/core.xml`: creator Padu, created and modified at `created` (seconds since 1970, UTC).
    static func coreProperties(created: Double) -> String {
        let stamp = w3cDateTime(created)
        return declaration
            + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" "#
            + #"xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" "#
            + #"xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
            + "<dc:creator>Padu</dc:creator><cp:lastModifiedBy>Padu</cp:lastModifiedBy>"
            + #"<dcterms:created xsi:type="dcterms:W3CDTF">\#(stamp)</dcterms:created>"#
            + #"<dcterms:modified xsi:type="dcterms:W3CDTF">\#(stamp)</dcterms:modified>"#
            + "</cp:coreProperties>"
    }

    /// `xl/workbook.xml`, with the hidden `_xlnm._FilterDatabase` name Excel expects for each sheet's
    /// auto-filter range.
    static func workbook(sheets: [(name: String, filterRange: String)]) -> String {
        var out = declaration
            + #"<workbook xmlns="\#(mainNamespace)" xmlns:r="\#(officeRelationships)">"#
            + #"<workbookPr/><bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
        for (index, sheet) in sheets.enumerated() {
            out += #"<sheet name="\#(attribute(sheet.name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
        }
        out += "</sheets><definedNames>"
        for (index, sheet) in sheets.enumerated() {
            let quoted = "'" + sheet.name.replacingAll("'", with: "''") + "'"
            out += #"<definedName name="_xlnm._FilterDatabase" localSheetId="\#(index)" hidden="1">"#
                + text("\(quoted)!\(sheet.filterRange)") + "</definedName>"
        }
        return out + #"</definedNames><calcPr calcId="191029"/></workbook>"#
    }

    /// `xl/_rels/workbook.xml.rels`: the worksheets as `rId1`… then the styles.
    static func workbookRelationships(sheetCount: Int) -> String {
        var out = declaration + #"<Relationships xmlns="\#(relationshipsNamespace)">"#
        for number in stride(from: 1, through: sheetCount, by: 1) {
            out += #"<Relationship Id="rId\#(number)" Type="\#(officeRelationships)/worksheet" Target="worksheets/sheet\#(number).xml"/>"#
        }
        out += #"<Relationship Id="rId\#(sheetCount + 1)" Type="\#(officeRelationships)/styles" Target="styles.xml"/>"#
        return out + "</Relationships>"
    }

    /// The zip entry of the 1-based worksheet `number`.
    static func worksheetPart(_ number: Int) -> String { "xl/worksheets/sheet\(number).xml" }

    /// `text` escaped for element content.
    static func text(_ text: String) -> String {
        var bytes: [UInt8] = []
        XLSXXMLText.append(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `text` escaped for an attribute value.
    static func attribute(_ text: String) -> String {
        var bytes: [UInt8] = []
        XLSXXMLText.append(text, to: &bytes, attribute: true)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2025-07-14T09:30:00Z`.
    static func w3cDateTime(_ secondsSince1970: Double) -> String {
        var seconds = time_t(secondsSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))Z"
    }
}

extension String {
    /// The string with every `target` replaced by `replacement` (without Foundation).
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for character in self {
            if character == target { out += replacement } else { out.append(character) }
        }
        return out
    }
}
