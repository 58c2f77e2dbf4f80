namespace Cema.Actors.Configuration;

/// <summary>
/// Text or file to an unresolved tree. Kept apart from <see cref="Config"/> because the loader must
/// merge several unresolved trees before anything is resolved.
/// </summary>
internal static class HoconReader
{
    public static ConfigObject ReadFile(string file)
    {
        if (!File.Exists(file))
        {
            throw new ConfigException($"config file not found: {file} (looked for {Path.GetFullPath(file)})", origin: new ConfigOrigin(file));
        }
        return Parser.ParseDocument(File.ReadAllText(file), file, IncludeLoader.ForFile(file), ConfigPath.Root);
    }

    public static ConfigObject ReadText(string text, string source, string? baseDirectory) =>
        Parser.ParseDocument(text, source, IncludeLoader.ForDirectory(baseDirectory ?? Directory.GetCurrentDirectory()), ConfigPath.Root);

    public static ConfigValue ReadValue(string text, string source) =>
        Parser.ParseValue(text, source, IncludeLoader.ForDirectory(Directory.GetCurrentDirectory()));

    public static Func<string, string?> ProcessEnvironment { get; } = Environment.GetEnvironmentVariable;
}
