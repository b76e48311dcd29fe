import PaduCore

/// The output formats of `padu report` and `padu person`.
public enum ReportFormat: String, Sendable, CaseIterable {
    case table, csv, json, xlsx
}

/// Writes report tables as aligned text, CSV or JSON. (XLSX: `ReportWorkbook`.)
public enum ReportRenderer {
    /// Aligned columns for a terminal, with the title, parameters and notes.
    /// Amounts are shown in Indonesian style (`1.500.000`).
    public static func table(_ tables: [ReportTable]) -> String {
        tables.map { t in
            var out = t.title + "\n"
            if !t.parameters.isEmpty { out += t.parameters.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + "\n" }
            if t.rows.isEmpty {
                out += "(no rows)\n"
            } else {
                let cells = [t.columns.map(\.title)] + t.rows.map { row in row.enumerated().map { display($0.element, t.columns[$0.offset].kind) } }
                // Columns are clipped at 48 characters, except the last (paths, hashes, sources read in full).
                let widths = t.columns.indices.map { c in
                    let widest = cells.map { $0[c].count }.max() ?? 0
                    return c == t.columns.count - 1 ? widest : min(48, widest)
                }
                for (i, row) in cells.enumerated() {
                    out += row.enumerated().map { c, text in
                        let clipped = text.count > widths[c] ? String(text.prefix(widths[c] - 1)) + "…" : text
                        let pad = String(repeating: " ", count: widths[c] - clipped.count)
                        return isNumeric(t.columns[c].kind) && i > 0 ? pad + clipped : clipped + pad
                    }.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
                    if i == 0 {
                        out += widths.enumerated().map { c, w in String(repeating: "-", count: c == widths.count - 1 ? min(w, 48) : w) }
                            .joined(separator: "  ") + "\n"
                    }
                }
                out += "\(t.rows.count) row\(t.rows.count == 1 ? "" : "s")\n"
            }
            for note in t.notes { out += "· " + note + "\n" }
            return out
        }.joined(separator: "\n")
    }

    /// RFC 4180 CSV (comma, CRLF, UTF-8 with a BOM so spreadsheet programs read it right),
    /// column names as the header, values plain (`1500000.00`, `2025-07-14`, `62.5`).
    /// A value starting with `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so a spreadsheet
    /// never runs it as a formula. Several tables are separated by a blank line and a title line.
    public static func csv(_ tables: [ReportTable]) -> String {
        var out = "\u{FEFF}"
        for (i, t) in tables.enumerated() {
            if tables.count > 1 { out += (i > 0 ? "\r\n" : "") + "# " + t.title + "\r\n" }
            out += t.columns.map { quote($0.name) }.joined(separator: ",") + "\r\n"
            for row in t.rows {
                out += row.map { value in
                    var text = value.plain
                    if case .text = value, let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
                    return quote(text)
                }.joined(separator: ",") + "\r\n"
            }
        }
        return out
    }

    /// JSON for tools: `{"report": ..., "parameters": {...}, "columns": [...], "rows": [{...}], "notes": [...]}`;
    /// several tables as an array. Amounts are exact decimal strings, counts numbers.
    public static func json(_ tables: [ReportTable]) -> String {
        let docs = tables.map { t -> String in
            let params = "{" + t.parameters.map { "\(TextUtilities.jsonQuoted($0.0)):\(TextUtilities.jsonQuoted($0.1))" }.joined(separator: ",") + "}"
            let columns = "[" + t.columns.map { c in
                "{\"name\":\(TextUtilities.jsonQuoted(c.name)),\"title\":\(TextUtilities.jsonQuoted(c.title)),\"type\":\"\(typeName(c.kind))\"}"
            }.joined(separator: ",") + "]"
            let rows = t.rows.map { row in
                "{" + zip(t.columns, row).map { c, v in "\(TextUtilities.jsonQuoted(c.name)):\(jsonValue(v))" }.joined(separator: ",") + "}"
            }
            let notes = "[" + t.notes.map(TextUtilities.jsonQuoted).joined(separator: ",") + "]"
            return "{\"report\":\(TextUtilities.jsonQuoted(t.name)),\"title\":\(TextUtilities.jsonQuoted(t.title)),\"parameters\":\(params),"
                + "\"columns\":\(columns),\"rows\":[\n" + rows.joined(separator: ",\n") + "\n],\"notes\":\(notes)}"
        }
        return (docs.count == 1 ? docs[0] : "[" + docs.joined(separator: ",\n") + "]") + "\n"
    }

    static func typeName(_ kind: ReportColumnKind) -> String {
        switch kind {
        case .text: return "text"
        case .integer: return "integer"
        case .rupiah: return "rupiah"
        case .percent: return "percent"
        case .date: return "date"
        }
    }

    static func jsonValue(_ v: ReportValue) -> String {
        switch v {
        case .null: return "null"
        case .integer(let n): return String(n)
        case .fraction(_, let d) where d == 0: return "null"
        case .fraction: return v.plain
        default: return TextUtilities.jsonQuoted(v.plain)
        }
    }

    static func quote(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func isNumeric(_ kind: ReportColumnKind) -> Bool {
        switch kind {
        case .integer, .rupiah, .percent: return true
        default: return false
        }
    }

    /// How a terminal shows a value: `1.500.000` for rupiah (sen only when not whole), `62,5%`.
    static func display(_ v: ReportValue, _ kind: ReportColumnKind) -> String {
        switch v {
        case .sen(let sen):
            let whole = abs(sen) / 100, cents = abs(sen) % 100
            var digits = String(whole)
            var grouped = ""
            while digits.count > 3 { grouped = "." + digits.suffix(3) + grouped; digits.removeLast(3) }
            return (sen < 0 ? "-" : "") + digits + grouped + (cents == 0 ? "" : "," + (cents < 10 ? "0" : "") + String(cents))
        case .fraction(let n, let d) where d != 0:
            return ReportValue.percentText(n, d).replacingOccurrences(of: ".", with: ",") + "%"
        default:
            return v.plain
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
