namespace Cema.Actors.Configuration;

/// <summary>
/// Finds and parses included files. Names are relative to the including file's directory, never
/// the process's working directory (the spec forbids it, and ./cema may run from anywhere).
/// </summary>
internal sealed class IncludeLoader
{
    private readonly string _directory;
    private readonly IReadOnlyList<string> _chain;

    private IncludeLoader(string directory, IReadOnlyList<string> chain)
    {
        _directory = directory;
        _chain = chain;
    }

    /// <summary>For a file: includes resolve next to it.</summary>
    public static IncludeLoader ForFile(string file) =>
        new(Path.GetDirectoryName(file) ?? "", new[] { Path.GetFullPath(file) });

    /// <summary>For text with no file behind it: includes resolve against <paramref name="directory"/>.</summary>
    public static IncludeLoader ForDirectory(string directory) => new(directory, Array.Empty<string>());

    public ConfigObject Load(string name, bool required, Token at, ConfigPath objectPath)
    {
        var file = Path.Combine(_directory, name);
        var full = Path.GetFullPath(file);
        if (!File.Exists(full))
        {
            if (required)
            {
                throw new ConfigException(
                    $"{at.Position}: required include \"{name}\" not found (looked for {full})", origin: at.Origin);
            }
            // The spec: a missing plain include is silently an empty object.
            return new ConfigObject(at.Origin);
        }
        if (_chain.Contains(full))
        {
            throw new ConfigException(
                $"{at.Position}: include cycle: {string.Join(" -> ", _chain.Append(full))}", origin: at.Origin);
        }
        var text = File.ReadAllText(full);
        var nested = new IncludeLoader(Path.GetDirectoryName(file) ?? "", _chain.Append(full).ToArray());
        return Parser.ParseDocument(text, file, nested, objectPath);
    }
}
