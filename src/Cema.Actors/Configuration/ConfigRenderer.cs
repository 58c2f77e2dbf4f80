using System.Text;
using System.Text.RegularExpressions;

namespace Cema.Actors.Configuration;

/// <summary>
/// Writes a resolved tree back as HOCON that parses to the same values, with each value's origin
/// as a trailing comment: what <c>cema config</c> shows to answer "where did this setting come from?".
/// </summary>
internal static partial class ConfigRenderer
{
    private const string Indent = "  ";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_-]*$")]
    private static partial Regex BareKey();

    public static string Render(ConfigObject root)
    {
        var text = new StringBuilder();
        foreach (var key in root.Keys)
        {
            RenderField(text, key, root[key], 0);
        }
        return text.ToString();
    }

    private static void RenderField(StringBuilder text, string key, ConfigValue value, int depth)
    {
        text.Append(Pad(depth)).Append(RenderKey(key));
        if (value is ConfigObject obj)
        {
            text.Append(' ');
            RenderObject(text, obj, depth);
            text.Append('\n');
            return;
        }
        text.Append(" = ");
        RenderValue(text, value, depth);
        text.Append("  # ").Append(value.Origin).Append('\n');
    }

    private static void RenderObject(StringBuilder text, ConfigObject obj, int depth)
    {
        if (obj.Count == 0)
        {
            text.Append("{}");
            return;
        }
        text.Append("{\n");
        foreach (var key in obj.Keys)
        {
            RenderField(text, key, obj[key], depth + 1);
        }
        text.Append(Pad(depth)).Append('}');
    }

    private static void RenderValue(StringBuilder text, ConfigValue value, int depth)
    {
        switch (value)
        {
            case ConfigString s:
                text.Append(Quote(s.Value));
                break;
            case ConfigNumber or ConfigBoolean or ConfigNull:
                text.Append(value.ToString());
                break;
            case ConfigObject obj:
                RenderObject(text, obj, depth);
                break;
            case ConfigList list when list.Items.All(i => i is not (ConfigObject or ConfigList)):
                text.Append('[');
                for (var i = 0; i < list.Items.Length; i++)
                {
                    text.Append(i > 0 ? ", " : "");
                    RenderValue(text, list.Items[i], depth);
                }
                text.Append(']');
                break;
            case ConfigList list:
                // Nested structure gets one element per line so each can carry its own origin.
                text.Append("[\n");
                foreach (var item in list.Items)
                {
                    text.Append(Pad(depth + 1));
                    RenderValue(text, item, depth + 1);
                    text.Append(item is ConfigObject or ConfigList ? "\n" : $"  # {item.Origin}\n");
                }
                text.Append(Pad(depth)).Append(']');
                break;
            default:
                throw new InvalidOperationException($"cannot render unresolved {value.Describe()}");
        }
    }

    /// <summary>A key as written in a file: bare when that reads back identically, quoted otherwise.</summary>
    public static string RenderKey(string key) =>
        BareKey().IsMatch(key) && key is not ("include" or "true" or "false" or "null") ? key : Quote(key);

    /// <summary>A JSON string literal.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                default:
                    if (c < ' ')
                    {
                        text.Append($"\\u{(int)c:x4}");
                    }
                    else
                    {
                        text.Append(c);
                    }
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    private static string Pad(int depth) => string.Concat(Enumerable.Repeat(Indent, depth));
}
