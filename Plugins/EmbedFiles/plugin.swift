import Foundation
import PackagePlugin

/// Compiles data files into the target as a generated Swift source, so the binary needs
/// no files beside it: `BundledCorpus` gets the articles of the package's `seeds/`, every
/// other target the lexicons in its own `Lexicons/` folder.
@main
struct EmbedFiles: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let (folder, ext) = target.name == "BundledCorpus"
            ? (context.package.directoryURL.appending(path: "seeds"), "txt")
            : (target.directoryURL.appending(path: "Lexicons"), "tsv")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path())) ?? []
        let inputs = names.filter { $0.hasSuffix("." + ext) }.sorted().map { folder.appending(path: $0) }
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
