namespace Cema.Actors.Configuration;

/// <summary>
/// Compares the effective configuration with reference.conf, which defines every key and its
/// type. A key reference.conf lacks is only a warning (it may be meant for a newer build), but a
/// value of the wrong type is an error now rather than a crash deep inside an actor later.
/// </summary>
internal static class ReferenceValidator
{
    public static void Validate(ConfigObject reference, ConfigObject effective, ICollection<ConfigDiagnostic> warnings, ICollection<ConfigException> errors) =>
        Walk(reference, effective, ConfigPath.Root, warnings, errors);

    private static void Walk(ConfigObject reference, ConfigObject effective, ConfigPath path, ICollection<ConfigDiagnostic> warnings, ICollection<ConfigException> errors)
    {
        foreach (var key in effective.Keys)
        {
            var childPath = path.Append(key);
            var value = effective[key];
            if (!reference.TryGetValue(key, out var expected))
            {
                warnings.Add(new ConfigDiagnostic(childPath.ToString(), value.Origin,
                    $"unknown key '{childPath}': reference.conf does not define it, so nothing reads it (a typo?)"));
                continue;
            }
            if (expected is ConfigObject expectedObject && value is ConfigObject valueObject)
            {
                Walk(expectedObject, valueObject, childPath, warnings, errors);
                continue;
            }
            if (!Conforms(expected, value, out var description))
            {
                errors.Add(new ConfigException(
                    $"{value.Origin}: '{childPath}' must be {description} as in reference.conf ({expected.Origin}), but it is {value.Describe()}",
                    childPath.ToString(), value.Origin));
            }
        }
    }

    /// <summary>Whether <paramref name="value"/> can be read the way reference.conf's value is.</summary>
    private static bool Conforms(ConfigValue expected, ConfigValue value, out string description)
    {
        switch (expected)
        {
            case ConfigNull:
                // A null default means "unset unless configured": any type may be supplied.
                description = "anything";
                return true;
            case ConfigObject:
                description = "an object";
                return value is ConfigObject;
            case ConfigList:
                description = "a list";
                return value is ConfigList;
            case ConfigBoolean:
                description = "a boolean";
                return ValueConversions.TryGetBoolean(value, out _);
            case ConfigNumber n when n.IsWrittenWhole:
                description = "a whole number";
                return ValueConversions.TryGetLong(value, long.MinValue, long.MaxValue, out _);
            case ConfigNumber:
                description = "a number";
                return ValueConversions.TryGetDouble(value, out _);
            case ConfigString s:
                // A default written with a unit ("10s", "64MiB") declares a duration or size setting.
                var duration = DurationFormat.HasExplicitUnit(s.Value);
                var size = ByteSizeFormat.HasExplicitUnit(s.Value);
                if (duration || size)
                {
                    description = duration && size ? "a duration or a size in bytes" : duration ? "a duration" : "a size in bytes";
                    return (duration && ValueConversions.TryGetDuration(value, out _, out _))
                        || (size && ValueConversions.TryGetBytes(value, out _, out _));
                }
                description = "a string";
                return ValueConversions.TryGetString(value, out _);
            default:
                description = expected.Describe();
                return true;
        }
    }
}
