#if canImport(Glibc)
import Glibc
#endif

/// Shell-style file patterns (`data/*.csv`, `inbox/p3ke-2025-??.csv`).
public enum FileGlob {
    /// The regular files matching `pattern`, sorted by path. Relative patterns resolve
    /// against `base`. A pattern without wildcards names one file (returned even if missing,
    /// so the run reports it as unreadable rather than silently finding nothing).
    public static func expand(_ pattern: String, relativeTo base: String) -> [String] {
        // A URL is fetched by the run, not matched against the file system.
        if pattern.contains("://") { return [pattern] }
        let full = pattern.hasPrefix("/") ? pattern : base + "/" + pattern
        guard full.contains(where: { "*?[".contains($0) }) else { return [full] }
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(full, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for i in 0..<Int(result.gl_pathc) {
            guard let p = result.gl_pathv[i] else { continue }
            let path = String(cString: p)
            var st = stat()
            if stat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { paths.append(path) }
        }
        return paths.sorted()
    }
}
