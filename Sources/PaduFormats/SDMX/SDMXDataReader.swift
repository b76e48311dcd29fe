/// One SDMX observation: the values of its series key, its own dimension and every attribute
/// (series, observation and data-set level), by concept id, and the observed value.
public struct SDMXObservation: Sendable, Hashable {
    /// Concept id → value (`REF_AREA` → `1805`, `TIME_PERIOD` → `2023`, `UNIT_MEASURE` → `PC`).
    public var fields: [String: String]
    /// The observed value as written (`10.84`), nil when missing (`NaN`, absent).
    public var value: String?
    /// The line of the `Obs` element in the file.
    public var line: Int
    /// 1-based index of the data set within the message.
    public var dataSet: Int
}

/// The SDMX-ML 2.1 flavours Padu reads.
public enum SDMXFlavor: String, Sendable {
    case genericData = "GenericData"
    case structureSpecificData = "StructureSpecificData"
}

/// A problem with an SDMX document as a whole.
public struct SDMXFormatError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let line: Int
    public let message: String
    public var description: String { "\(path):\(line): \(message)" }
}

/// Streams the observations of an SDMX-ML 2.1 data message, GenericData or
/// StructureSpecificData, series-wise or flat (`dimensionAtObservation="AllDimensions"`), one
/// or several data sets, with constant memory. XML is read safely (no DTD, no entities, no
/// network, depth and size limits).
public final class SDMXDataReader {
    public let path: String
    public private(set) var flavor: SDMXFlavor?
    /// The observation dimension per structure id, from the header (default `TIME_PERIOD`).
    public private(set) var dimensionAtObservation: [String: String] = [:]
    /// The primary measure's id in StructureSpecificData (default `OBS_VALUE`).
    public var primaryMeasure = "OBS_VALUE"

    private let xml: XMLStreamReader
    private var dataSetIndex = 0
    private var dataSetFields: [String: String] = [:]
    private var seriesFields: [String: String] = [:]
    private var currentObservationDimension = "TIME_PERIOD"
    private var started = false

    static let genericNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
    static let messageNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    static let structureSpecificNamespace = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"

    public init(path: String, options: XMLReadOptions = XMLReadOptions()) throws {
        self.path = path
        xml = try XMLStreamReader(path: path, options: options)
    }

    /// The next observation, or nil at the end of the message.
    public func next() throws -> SDMXObservation? {
        if !started { try readRoot() }
        if let pending = pendingObservation {
            pendingObservation = nil
            return pending
        }
        while try xml.next() {
            guard xml.nodeType == .elementStart else { continue }
            switch (flavor!, xml.localName) {
            case (_, "Structure") where xml.namespaceURI == Self.messageNamespace:
                let id = xml.attribute("structureID") ?? ""
                dimensionAtObservation[id] = xml.attribute("dimensionAtObservation") ?? "TIME_PERIOD"
            case (_, "DataSet"):
                try beginDataSet()
            case (.genericData, "Series"):
                try readGenericSeriesHead()
                if let pending = pendingObservation {
                    pendingObservation = nil
                    return pending
                }
            case (.genericData, "Obs"):
                return try readGenericObservation()
            case (.genericData, "Attributes") where xml.depth == 2:
                dataSetFields.merge(try readGenericValues(container: "Attributes")) { _, new in new }
            case (.structureSpecificData, "Series"):
                seriesFields = attributes(excludingNamespaced: true)
            case (.structureSpecificData, "Obs"):
                return readStructureSpecificObservation()
            default:
                continue
            }
        }
        return nil
    }

    private func readRoot() throws {
        started = true
        while try xml.next() {
            guard xml.nodeType == .elementStart else { continue }
            guard let found = SDMXFlavor(rawValue: xml.localName), xml.namespaceURI == Self.messageNamespace else {
                throw SDMXFormatError(path: path, line: xml.line, message: "the root element is <\(xml.localName)>"
                    + (xml.namespaceURI.map { " in \($0)" } ?? "") + "; expected an SDMX-ML 2.1 GenericData or StructureSpecificData message")
            }
            flavor = found
            return
        }
        throw SDMXFormatError(path: path, line: xml.line, message: "the file has no XML element; expected an SDMX-ML 2.1 data message")
    }

    private func beginDataSet() throws {
        dataSetIndex += 1
        seriesFields = [:]
        dataSetFields = [:]
        let structure = xml.attribute("structureRef") ?? xml.attribute("structureRef", namespace: Self.structureSpecificNamespace) ?? ""
        currentObservationDimension = dimensionAtObservation[structure] ?? dimensionAtObservation.values.first ?? "TIME_PERIOD"
        if flavor == .structureSpecificData {
            // Data-set level attributes are plain attributes of the DataSet element.
            for (k, v) in attributes(excludingNamespaced: true) where !["action", "setID", "structureRef"].contains(k) {
                dataSetFields[k] = v
            }
        }
    }

    /// `<generic:Series>`: its SeriesKey and Attributes, up to the first Obs.
    private func readGenericSeriesHead() throws {
        seriesFields = [:]
        let seriesDepth = xml.depth
        while try xml.next() {
            if xml.nodeType == .elementEnd && xml.depth == seriesDepth { return }
            guard xml.nodeType == .elementStart else { continue }
            switch xml.localName {
            case "SeriesKey": seriesFields.merge(try readGenericValues(container: "SeriesKey")) { _, new in new }
            case "Attributes": seriesFields.merge(try readGenericValues(container: "Attributes")) { _, new in new }
            case "Obs":
                pendingObservation = try readGenericObservation()
                return
            default: continue
            }
        }
    }

    private var pendingObservation: SDMXObservation?

    /// `<generic:Obs>` with ObsDimension or ObsKey, ObsValue and Attributes.
    private func readGenericObservation() throws -> SDMXObservation {
        var fields = dataSetFields.merging(seriesFields) { _, series in series }
        var value: String?
        let line = xml.line
        guard !xml.isEmptyElement else { return SDMXObservation(fields: fields, value: nil, line: line, dataSet: dataSetIndex) }
        let obsDepth = xml.depth
        while try xml.next() {
            if xml.nodeType == .elementEnd && xml.depth == obsDepth { break }
            guard xml.nodeType == .elementStart else { continue }
            switch xml.localName {
            case "ObsDimension":
                if let v = xml.attribute("value") { fields[xml.attribute("id") ?? currentObservationDimension] = v }
            case "ObsKey", "Attributes":
                fields.merge(try readGenericValues(container: xml.localName)) { _, new in new }
            case "ObsValue":
                value = xml.attribute("value")
            default:
                continue
            }
        }
        return SDMXObservation(fields: fields, value: Self.present(value), line: line, dataSet: dataSetIndex)
    }

    /// The `<generic:Value id=".." value=".."/>` children of the current element.
    private func readGenericValues(container: String) throws -> [String: String] {
        var values: [String: String] = [:]
        guard !xml.isEmptyElement else { return values }
        let depth = xml.depth
        while try xml.next() {
            if xml.nodeType == .elementEnd && xml.depth == depth { break }
            if xml.nodeType == .elementStart, xml.localName == "Value", let id = xml.attribute("id") {
                values[id] = xml.attribute("value") ?? ""
            }
        }
        return values
    }

    private func readStructureSpecificObservation() -> SDMXObservation {
        var fields = dataSetFields.merging(seriesFields) { _, series in series }
        var own = attributes(excludingNamespaced: true)
        let value = own.removeValue(forKey: primaryMeasure)
        fields.merge(own) { _, new in new }
        return SDMXObservation(fields: fields, value: Self.present(value), line: xml.line, dataSet: dataSetIndex)
    }

    /// The current element's attributes without a namespace (concept ids), by name.
    private func attributes(excludingNamespaced: Bool) -> [String: String] {
        xml.unqualifiedAttributes()
    }

    /// Bytes of the file consumed so far are not tracked by libxml2's reader; the line is.
    public var line: Int { xml.line }

    static func present(_ value: String?) -> String? {
        guard let v = value?.trimmingWhitespace(), !v.isEmpty, v != "NaN", v != "-" else { return nil }
        return v
    }
}
