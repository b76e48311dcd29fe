/// Facts about this build of Padu.
public enum Padu {
    /// Padu's version, recorded with every run.
    public static let version = "0.1.0"
}
