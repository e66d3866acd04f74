/// The articles of the package's `seeds/` folder, compiled into the binary at build time
/// so that `coopq` answers from any directory, also after the binary is copied elsewhere.
public enum BundledCorpus {
    /// Each seed article as its file name and its exact bytes, in file-name order.
    public static var articles: [(name: String, bytes: [UInt8])] { embeddedFiles }
}
