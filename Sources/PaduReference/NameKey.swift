/// The key persons are matched on: `NameNormalizer`'s key of a name as written.
public enum NameKey {
    /// `Moehammad Djoko, S.Pd.` → `MUHAMMAD JOKO`.
    @Sendable public static func key(_ name: String) -> String {
        NameNormalizer.normalize(name).key
    }
}
