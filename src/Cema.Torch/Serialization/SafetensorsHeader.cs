using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;

namespace Cema.Torch.Serialization;

/// <summary>One tensor's header entry; <see cref="Begin"/> and <see cref="End"/> are relative to the start of the data buffer.</summary>
internal sealed record SafetensorsEntry(string Name, ScalarType DType, long[] Shape, long Begin, long End)
{
    internal long ByteLength => End - Begin;
}

/// <summary>Writes and checks the JSON header of a safetensors file.</summary>
internal static class SafetensorsHeader
{
    internal const string MetadataKey = "__metadata__";

    // The reference reader refuses longer headers; refusing them too keeps a corrupt length from
    // making us copy and parse up to the whole file as JSON.
    internal const long MaxLength = 100_000_000;

    // Our dtypes in the declaration order of the reference library's `Dtype` enum: its writer sorts
    // tensors by that enum's derived Ord, descending. The format's other dtypes (U16, U32, U64,
    // F8_*, ...) sit between these in the enum but never change their relative order.
    private static readonly (string Name, ScalarType Type)[] Dtypes =
    [
        ("BOOL", ScalarType.Bool),
        ("U8", ScalarType.Byte),
        ("I8", ScalarType.Int8),
        ("I16", ScalarType.Int16),
        ("F16", ScalarType.Float16),
        ("BF16", ScalarType.BFloat16),
        ("I32", ScalarType.Int32),
        ("F32", ScalarType.Float32),
        ("F64", ScalarType.Float64),
        ("I64", ScalarType.Int64),
    ];

    /// <summary>The position of <paramref name="type"/> in the reference writer's dtype order, or -1 when safetensors cannot store it.</summary>
    internal static int Rank(ScalarType type) => Array.FindIndex(Dtypes, d => d.Type == type);

    private static string NameOf(ScalarType type) => Dtypes[Rank(type)].Name;

    /// <summary>
    /// The header as the reference writer produces it: compact JSON (serde_json), <c>__metadata__</c>
    /// first when given, then the entries in the order given, each as dtype, shape, data_offsets;
    /// then spaces up to a multiple of 8 bytes.
    /// </summary>
    internal static byte[] Write(IReadOnlyList<SafetensorsEntry> entries, IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        var json = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = SerdeJsonEncoder.Instance }))
        {
            writer.WriteStartObject();
            if (metadata != null)
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            foreach (var e in entries)
            {
                writer.WriteStartObject(e.Name);
                writer.WriteString("dtype", NameOf(e.DType));
                writer.WriteStartArray("shape");
                foreach (long d in e.Shape) writer.WriteNumberValue(d);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(e.Begin);
                writer.WriteNumberValue(e.End);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        int padding = (8 - json.WrittenCount % 8) % 8;
        var header = new byte[json.WrittenCount + padding];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    /// <summary>Parses the header, checking each entry on its own; the entries come back in header order.</summary>
    internal static (List<SafetensorsEntry> Entries, OrderedDictionary<string, string>? Metadata) Parse(ReadOnlySpan<byte> header)
    {
        if (!Utf8.IsValid(header)) throw Fault("the header is not valid UTF-8", field: "header");
        if (header.IsEmpty || header[0] != (byte)'{') throw Fault("the header must start with '{' (a JSON object)", field: "header");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.ToArray());
        }
        catch (JsonException e)
        {
            throw Fault($"the header is not valid JSON: {e.Message}", field: "header", inner: e);
        }

        using (document)
        {
            var entries = new List<SafetensorsEntry>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            OrderedDictionary<string, string>? metadata = null;
            bool sawMetadata = false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    if (sawMetadata) throw Fault($"\"{MetadataKey}\" appears twice in the header", field: MetadataKey);
                    sawMetadata = true;
                    metadata = ParseMetadata(property.Value);
                }
                else
                {
                    if (!names.Add(property.Name)) throw Fault($"tensor \"{property.Name}\" appears twice in the header", property.Name);
                    entries.Add(ParseEntry(property.Name, property.Value));
                }
            }
            return (entries, metadata);
        }
    }

    /// <summary>
    /// Checks that the entries lie inside a data buffer of <paramref name="bufferLength"/> bytes and
    /// tile it: no overlaps, no gaps, nothing left over. Returns them in buffer order (ties, which
    /// only empty tensors can make, keep header order).
    /// </summary>
    internal static List<SafetensorsEntry> CheckLayout(List<SafetensorsEntry> entries, long bufferLength)
    {
        foreach (var e in entries)
        {
            if (e.End > bufferLength)
                throw Fault($"tensor \"{e.Name}\": data_offsets [{e.Begin}, {e.End}] run past the end of the {bufferLength}-byte data buffer", e.Name, "data_offsets");
        }

        var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        SafetensorsEntry? previous = null;
        foreach (var e in ordered)
        {
            long covered = previous?.End ?? 0;
            if (e.Begin > covered)
                throw Fault($"tensor \"{e.Name}\": data_offsets [{e.Begin}, {e.End}] leave bytes {covered}..{e.Begin} of the data buffer to no tensor", e.Name, "data_offsets");
            if (e.Begin < covered)
                throw Fault($"tensor \"{e.Name}\": data_offsets [{e.Begin}, {e.End}] overlap tensor \"{previous!.Name}\" at [{previous.Begin}, {previous.End}]", e.Name, "data_offsets");
            previous = e;
        }

        long end = previous?.End ?? 0;
        if (end != bufferLength)
            throw Fault($"the data buffer holds {bufferLength} bytes but the tensors cover only {end}; bytes {end}..{bufferLength} belong to no tensor", field: "data_offsets");
        return ordered;
    }

    private static OrderedDictionary<string, string>? ParseMetadata(JsonElement value)
    {
        // serde reads a null `__metadata__` as absent, so a file that says so is still valid.
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Object)
            throw Fault($"\"{MetadataKey}\" must be an object of string values, not {Describe(value)}", field: MetadataKey);

        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Fault($"\"{MetadataKey}\" value of \"{item.Name}\" must be a string, not {Describe(item.Value)}", field: MetadataKey);
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Fault($"\"{MetadataKey}\" has the key \"{item.Name}\" twice", field: MetadataKey);
        }
        return metadata;
    }

    private static SafetensorsEntry ParseEntry(string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Fault($"tensor \"{name}\": the entry must be an object with dtype, shape and data_offsets, not {Describe(value)}", name);

        JsonElement? dtypeField = null, shapeField = null, offsetsField = null;
        foreach (var field in value.EnumerateObject())
        {
            // Other fields are ignored, as the reference reader ignores them.
            switch (field.Name)
            {
                case "dtype": dtypeField = Once(dtypeField, field, name); break;
                case "shape": shapeField = Once(shapeField, field, name); break;
                case "data_offsets": offsetsField = Once(offsetsField, field, name); break;
            }
        }

        var dtype = ParseDtype(name, Required(dtypeField, "dtype", name));
        var shape = ParseShape(name, Required(shapeField, "shape", name));
        var (begin, end) = ParseOffsets(name, Required(offsetsField, "data_offsets", name));

        long needed;
        try
        {
            needed = shape.Aggregate((long)ScalarTypeInfo.ElementSize(dtype), (n, d) => checked(n * d));
        }
        catch (OverflowException)
        {
            throw Fault($"tensor \"{name}\": shape {Format(shape)} of {NameOf(dtype)} has more bytes than a file can hold", name, "shape");
        }
        if (end - begin != needed)
            throw Fault($"tensor \"{name}\": shape {Format(shape)} of {NameOf(dtype)} needs {needed} bytes but data_offsets [{begin}, {end}] hold {end - begin}", name, "data_offsets");

        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static ScalarType ParseDtype(string name, JsonElement value)
    {
        string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        foreach (var (dtypeName, type) in Dtypes)
            if (text == dtypeName) return type;
        string found = text != null ? $"\"{text}\"" : Describe(value);
        throw Fault($"tensor \"{name}\": dtype {found} is not one Cema.Torch reads ({string.Join(", ", Dtypes.Select(d => d.Name))})", name, "dtype");
    }

    private static long[] ParseShape(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(IsCount))
            return value.EnumerateArray().Select(d => d.GetInt64()).ToArray();
        throw Fault($"tensor \"{name}\": shape must be an array of non-negative integers, not {value.GetRawText()}", name, "shape");
    }

    private static (long Begin, long End) ParseOffsets(string name, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 && value.EnumerateArray().All(IsCount))
        {
            long begin = value[0].GetInt64(), end = value[1].GetInt64();
            if (begin > end) throw Fault($"tensor \"{name}\": data_offsets [{begin}, {end}] end before they begin", name, "data_offsets");
            return (begin, end);
        }
        throw Fault($"tensor \"{name}\": data_offsets must be [begin, end], two non-negative integers, not {value.GetRawText()}", name, "data_offsets");
    }

    private static bool IsCount(JsonElement e) => e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0;

    private static JsonElement Once(JsonElement? seen, JsonProperty field, string tensor) =>
        seen is null ? field.Value : throw Fault($"tensor \"{tensor}\": field \"{field.Name}\" appears twice", tensor, field.Name);

    private static JsonElement Required(JsonElement? value, string field, string tensor) =>
        value ?? throw Fault($"tensor \"{tensor}\": the entry has no \"{field}\"", tensor, field);

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Format(long[] shape) => $"[{string.Join(", ", shape)}]";

    internal static SafetensorsException Fault(string message, string? tensor = null, string? field = null, Exception? inner = null) =>
        new(message, tensor, field, inner);
}
