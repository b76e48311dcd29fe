import Foundation

/// What a directory listing says about one file.
public struct FileObservation: Sendable, Hashable {
    /// Size in bytes.
    public var size: Int64
    /// Last modification time.
    public var mtime: Date

    /// Creates an observation.
    public init(size: Int64, mtime: Date) {
        self.size = size
        self.mtime = mtime
    }
}

/// Decides which files dropped into an inbox are complete, from successive listings.
///
/// A file is *ready* once its size and modification time have stayed the same across
/// observations spanning at least `settle` seconds (so at least two listings are needed, and
/// a file still being copied is never offered). Each ready file is offered once; it is offered
/// again only if it changes (for example the same name is dropped again) and settles again.
/// A file missing from a listing is forgotten. Pure value type: feed it listings and instants.
public struct FileArrivalTracker: Sendable {
    private struct Entry: Sendable {
        var observation: FileObservation
        var unchangedSince: Date
        var offered: Bool
    }

    /// Seconds a file must stay unchanged before it is ready.
    public var settle: TimeInterval
    private var entries: [String: Entry] = [:]

    /// Creates a tracker; `settle` defaults to 5 seconds.
    public init(settle: TimeInterval = 5) {
        self.settle = settle
    }

    /// Records a listing of the inbox taken at `now` and returns the paths that became ready,
    /// sorted. Returned paths are considered taken and are not returned again unless they change.
    public mutating func observe(_ listing: [String: FileObservation], at now: Date) -> [String] {
        for path in entries.keys where listing[path] == nil {
            entries[path] = nil
        }
        var ready: [String] = []
        for (path, observation) in listing {
            if var entry = entries[path], entry.observation == observation {
                if !entry.offered, now.timeIntervalSince(entry.unchangedSince) >= settle {
                    entry.offered = true
                    entries[path] = entry
                    ready.append(path)
                }
            } else {
                // New, changed, or re-dropped: (re)start the settle period.
                entries[path] = Entry(observation: observation, unchangedSince: now, offered: false)
            }
        }
        return ready.sorted()
    }

    /// `observe(_:at:)` for a listing given as `(size, mtime)` tuples.
    public mutating func observe(listing: [String: (size: Int64, mtime: Date)], at now: Date) -> [String] {
        observe(listing.mapValues { FileObservation(size: $0.size, mtime: $0.mtime) }, at: now)
    }

    /// Makes an offered file eligible again (e.g. the run could not start); it is offered at the
    /// next observation in which it is still unchanged.
    public mutating func release(_ path: String) {
        entries[path]?.offered = false
    }

    /// Paths seen but not yet ready, sorted (still settling or still changing).
    public var settling: [String] {
        entries.filter { !$0.value.offered }.keys.sorted()
    }

    /// Where a processed or failed input is moved after a run.
    public enum ArchiveOutcome: String, Sendable, Hashable {
        /// The run succeeded: `processed/`.
        case processed
        /// The run failed: `failed/`.
        case failed
    }

    /// The archive path (relative to the inbox) for `fileName` after run `runID`:
    /// `processed/p3ke.run-42.csv` or `failed/p3ke.run-42.csv`. The run id goes before the
    /// extension (before both parts of a compressed one: `a.run-42.csv.gz`). When the name is
    /// already in `existing` (names in the target folder), `.2`, `.3`, … is added before the
    /// extension: `p3ke.run-42.2.csv`.
    public static func archivePath(for fileName: String, outcome: ArchiveOutcome, runID: String,
                                   existing: Set<String> = []) -> String {
        let name = (fileName as NSString).lastPathComponent
        let (stem, ext) = splitExtension(name)
        let base = stem + ".run-" + runID
        var candidate = base + ext
        var counter = 2
        while existing.contains(candidate) {
            candidate = base + ".\(counter)" + ext
            counter += 1
        }
        return outcome.rawValue + "/" + candidate
    }

    private static let compressionExtensions: Set<String> = ["gz", "bz2", "xz", "zst", "z"]

    /// Splits `p3ke.csv` into `("p3ke", ".csv")` and `a.csv.gz` into `("a", ".csv.gz")`.
    /// A leading dot (`.hidden`) is not an extension.
    static func splitExtension(_ name: String) -> (stem: String, ext: String) {
        func split(_ text: Substring) -> (Substring, Substring)? {
            guard let dot = text.lastIndex(of: "."), dot != text.startIndex,
                  text.index(after: dot) != text.endIndex else { return nil }
            return (text[..<dot], text[dot...])
        }
        guard let (stem, ext) = split(name[...]) else { return (name, "") }
        if compressionExtensions.contains(ext.dropFirst().lowercased()), let (inner, innerExt) = split(stem) {
            return (String(inner), String(innerExt) + String(ext))
        }
        return (String(stem), String(ext))
    }
}
