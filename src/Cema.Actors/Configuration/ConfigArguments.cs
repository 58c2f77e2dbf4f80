namespace Cema.Actors.Configuration;

/// <summary>
/// The configuration options every CEMA command shares: <c>--config FILE</c> and any number of
/// <c>--set key=value</c>. Other arguments are passed through untouched for the command itself.
/// </summary>
public sealed record ConfigArguments(string? ConfigFile, IReadOnlyList<string> Sets, IReadOnlyList<string> Remaining)
{
    public static ConfigArguments Parse(IReadOnlyList<string> args)
    {
        string? file = null;
        var sets = new List<string>();
        var remaining = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (TryOption(args, ref i, "--config", out var value))
            {
                if (file is not null)
                {
                    throw new ConfigException($"--config given twice ('{file}' and '{value}'); merge the files with include instead");
                }
                file = value;
            }
            else if (TryOption(args, ref i, "--set", out value))
            {
                sets.Add(value);
            }
            else
            {
                remaining.Add(arg);
            }
        }
        return new ConfigArguments(file, sets, remaining);
    }

    private static bool TryOption(IReadOnlyList<string> args, ref int i, string name, out string value)
    {
        value = "";
        var arg = args[i];
        if (arg.StartsWith(name + "=", StringComparison.Ordinal))
        {
            value = arg[(name.Length + 1)..];
            return true;
        }
        if (arg != name)
        {
            return false;
        }
        if (i + 1 >= args.Count)
        {
            throw new ConfigException($"{name} needs a value ({(name == "--set" ? "--set key=value" : "--config FILE")})");
        }
        value = args[++i];
        return true;
    }
}
