using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cema.Actors.Configuration;

/// <summary>
/// Changes the values of existing keys in a HOCON file's text and nothing else: every other line, comments
/// and blank lines included, stays byte for byte. Each changed key gets one comment line above it saying why
/// (a previous such line, recognized by <see cref="NoteMarker"/>, is replaced, so repeated runs do not pile up
/// notes). Written for files laid out as reference.conf is (<c>name {</c> opens an object on its own line,
/// <c>}</c> closes it, one <c>key = value</c> per line, dotted keys allowed); a key it cannot find is an
/// error naming it, and the result is parsed again and each value read back before it is returned.
/// </summary>
public static partial class ConfigFileEditor
{
    /// <summary>How the comment lines this editor writes begin.</summary>
    public const string NoteMarker = "# cema tune:";

    [GeneratedRegex(@"^(?<indent>\s*)(?<key>[A-Za-z0-9_.\-""]+)\s*(=\s*)?\{\s*(#.*|//.*)?$")]
    private static partial Regex ObjectOpen();

    [GeneratedRegex(@"^\s*\}\s*(#.*|//.*)?$")]
    private static partial Regex ObjectClose();

    [GeneratedRegex(@"^(?<indent>\s*)(?<key>[A-Za-z0-9_.\-]+)(?<sep>\s*[=:]\s*)(?<value>[^#\s][^#]*?)(?<tail>\s*(#.*|//.*)?)$")]
    private static partial Regex Field();

    /// <summary>
    /// <paramref name="text"/> with each full path of <paramref name="values"/> (e.g. <c>cema.adapt.cloud.edge-lr</c>) set to
    /// its value (a double or a bool), and <paramref name="note"/> (one line, without the marker) above each changed line.
    /// Keys whose value already reads equal are left alone, note included.
    /// </summary>
    public static string SetValues(string text, IReadOnlyDictionary<string, object> values, string note)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(values);
        if (note.Contains('\n')) throw new ArgumentException("the note must be one line", nameof(note));
        string newline = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var stack = new List<string>();
        var found = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < lines.Count; i++)
        {
            string line = lines[i];
            if (ObjectOpen().Match(line) is { Success: true } open)
            {
                stack.Add(open.Groups["key"].Value.Trim('"'));
                continue;
            }
            if (ObjectClose().IsMatch(line))
            {
                if (stack.Count == 0) throw new FormatException($"line {i + 1}: '}}' closes no object");
                stack.RemoveAt(stack.Count - 1);
                continue;
            }
            if (Field().Match(line) is not { Success: true } field) continue;
            string path = string.Join('.', stack.Append(field.Groups["key"].Value));
            if (!values.TryGetValue(path, out object? value)) continue;
            if (!found.Add(path)) throw new FormatException($"'{path}' is set twice in the file (lines up to {i + 1}); edit it by hand");
            string old = field.Groups["value"].Value.Trim();
            if (Format(value) == old || (value is double d && double.TryParse(old, NumberStyles.Float, CultureInfo.InvariantCulture, out double current) && current == d)) continue;

            string indent = field.Groups["indent"].Value;
            lines[i] = indent + field.Groups["key"].Value + field.Groups["sep"].Value + Format(value) + field.Groups["tail"].Value;
            string comment = $"{indent}{NoteMarker} {note} (was {old})";
            if (i > 0 && lines[i - 1].TrimStart().StartsWith(NoteMarker, StringComparison.Ordinal))
            {
                lines[i - 1] = comment;
            }
            else
            {
                lines.Insert(i, comment);
                i++;
            }
        }
        var missing = values.Keys.Where(k => !found.Contains(k)).ToArray();
        if (missing.Length > 0) throw new KeyNotFoundException($"not set on a line of its own in the file, so not written: {string.Join(", ", missing)}");

        string result = string.Join(newline, lines);
        var check = Config.ParseString(result, "edited configuration", environment: _ => null);
        foreach (var (path, value) in values)
        {
            object read = value is bool ? check.GetBool(path) : check.GetDouble(path);
            if (!read.Equals(value)) throw new InvalidOperationException($"'{path}' reads back as {read}, not {value}, after editing");
        }
        return result;
    }

    /// <summary>Numbers only: <see cref="SetValues"/> with doubles.</summary>
    public static string SetNumbers(string text, IReadOnlyDictionary<string, double> values, string note) =>
        SetValues(text, values.ToDictionary(kv => kv.Key, kv => (object)kv.Value), note);

    /// <summary>A value as HOCON reads it back exactly: a number in its shortest round-trip form with a lower-case exponent, or true/false.</summary>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
        bool b => b ? "true" : "false",
        _ => throw new ArgumentException($"only numbers and booleans are written, not {value?.GetType().Name ?? "null"}", nameof(value)),
    };
}
