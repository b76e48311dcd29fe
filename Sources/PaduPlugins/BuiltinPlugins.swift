import BaznasExportPlugin
import BPSTablePlugin
import CSRSpreadsheetPlugin
import Foundation
import MapProgramPlugin
import MatchIdentityPlugin
import NormalizeNamePlugin
import PaduCore
import PaduReference
import RegionCrosswalkPlugin
import RequireFieldsPlugin
import ResolveRegionPlugin
import SocialRegistryPlugin
import ValidateIdentityPlugin
import WarehouseSinkPlugin

/// Every plugin that ships with Padu: one line per plugin (`Plugins/<name>/`).
/// The engine knows plugins only through this list.
public enum BuiltinPlugins {
    public static let all: [PluginDescriptor] = [
        SocialRegistrySource.descriptor,
        BPSTableSource.descriptor,
        CSRSpreadsheetSource.descriptor,
        BaznasExportSource.descriptor,
        RegionCrosswalkSource.descriptor,
        RequireFieldsTransform.descriptor,
        ValidateNIKTransform.descriptor(directory: { try HistoricalKecamatanCodes.bundled() }, today: todayInJakarta),
        ValidateKKTransform.descriptor(directory: { try HistoricalKecamatanCodes.bundled() }, today: todayInJakarta),
        NormalizeNameTransform.descriptor,
        ResolveRegionTransform.descriptor,
        MapProgramTransform.descriptor,
        MatchIdentityTransform.descriptor,
        WarehouseSink.descriptor,
    ]

    /// A registry holding every built-in plugin.
    public static var registry: PluginRegistry { PluginRegistry(all) }

    /// Today's date in WIB (UTC+7): birth dates in a NIK may not be later.
    @Sendable static func todayInJakarta() -> CivilDate {
        let d = CivilDate.civil(days: Int((Date().timeIntervalSince1970 + 7 * 3600) / 86_400))
        return CivilDate(year: d.year, month: d.month, day: d.day)!
    }
}
