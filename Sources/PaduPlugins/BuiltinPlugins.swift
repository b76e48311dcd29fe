import BaznasExportPlugin
import BPSTablePlugin
import CSRSpreadsheetPlugin
import PaduCore
import RequireFieldsPlugin
import SocialRegistryPlugin
import WarehouseSinkPlugin

/// Every plugin that ships with Padu: one line per plugin (`Plugins/<name>/`).
/// The engine knows plugins only through this list.
public enum BuiltinPlugins {
    public static let all: [PluginDescriptor] = [
        SocialRegistrySource.descriptor,
        BPSTableSource.descriptor,
        CSRSpreadsheetSource.descriptor,
        BaznasExportSource.descriptor,
        RequireFieldsTransform.descriptor,
        WarehouseSink.descriptor,
    ]

    /// A registry holding every built-in plugin.
    public static var registry: PluginRegistry { PluginRegistry(all) }
}
