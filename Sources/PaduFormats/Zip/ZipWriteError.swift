/// A failure writing a zip archive (an `.xlsx` file is a zip archive).
public struct ZipWriteError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// The archive (or its temporary file, or a spool file) cannot be created: missing directory,
        /// no permission, read-only file system, ...
        case cannotCreate
        /// Writing failed part-way (disk full, I/O error, ...).
        case writeFailed
        /// The archive cannot be moved into place under its final name.
        case cannotRename
        /// A file given as an entry's content cannot be read.
        case sourceUnreadable
        /// An entry would be 4 GiB or more; ZIP64 is not written.
        case entryTooLarge
        /// The archive would be 4 GiB or more, or hold more than 65 535 entries; ZIP64 is not written.
        case archiveTooLarge
        /// The entry name is empty, absolute, climbs out of the archive (`..`), is too long, or is
        /// already used in this archive.
        case invalidEntryName
        /// zlib failed to compress.
        case compressionFailed
        /// The writer was used after ``ZipWriter/close()`` or after it failed.
        case closed
    }

    /// What went wrong.
    public let kind: Kind
    /// The final path of the archive being written.
    public let path: String
    /// The entry concerned, when the problem concerns one entry.
    public let entryName: String?
    /// What went wrong and what to do, in words for the person running Padu.
    public let message: String

    /// Creates an error.
    public init(kind: Kind, path: String, entryName: String? = nil, message: String) {
        self.kind = kind
        self.path = path
        self.entryName = entryName
        self.message = message
    }

    /// The path followed by the message.
    public var description: String { "\(path): \(message)" }
}
