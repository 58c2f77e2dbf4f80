namespace Cema.Actors.Configuration;

/// <summary>The JSON type system HOCON keeps; durations and byte sizes are strings or numbers read with units.</summary>
public enum ConfigValueType
{
    Object,
    List,
    Number,
    Boolean,
    Null,
    String,
}
