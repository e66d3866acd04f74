import Foundation
import PackagePlugin

/// Compiles data files into the target as a generated Swift source, so the binary needs
/// no files beside it: `BundledCorpus` gets the articles of the package's `seeds/`, every
/// other target the lexicons in its own `Lexicons/` folder and the rules in its `Rules/`.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let sources: [(folder: URL, ext: String)] = target.name == "BundledCorpus"
            ? [(context.package.directoryURL.appending(path: "seeds"), "txt")]
            : [(target.directoryURL.appending(path: "Lexicons"), "tsv"), (target.directoryURL.appending(path: "Rules"), "rules")]
        var inputs: [URL] = []
        if target.name == "coopq" {
            // The executable: the git files that name the commit it is built from (`--version`),
            // when the package is a git checkout.
            let git = context.package.directoryURL.appending(path: ".git")
            let head = git.appending(path: "HEAD")
            if let text = try? String(contentsOf: head, encoding: .utf8) {
                inputs.append(head)
                if text.hasPrefix("ref: ") {
                    let ref = git.appending(path: text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
                    if FileManager.default.fileExists(atPath: ref.path()) { inputs.append(ref) }
                }
                let packed = git.appending(path: "packed-refs")
                if FileManager.default.fileExists(atPath: packed.path()) { inputs.append(packed) }
            }
        }
        for (folder, ext) in sources where target.name != "coopq" {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path())) ?? []
            inputs += names.filter { $0.hasSuffix("." + ext) }.sorted().map { folder.appending(path: $0) }
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "Embedded\(target.name).swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) files into \(target.name)",
                executable: try context.tool(named: "EmbedTool").url,
                arguments: [output.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }
}
