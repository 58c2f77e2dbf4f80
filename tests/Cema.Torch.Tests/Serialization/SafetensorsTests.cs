using System.Buffers.Binary;
using System.Text;
using Cema.Torch.Serialization;

namespace Cema.Torch.Tests.Serialization;

public class SafetensorsTests
{
    // ---- round trips ---------------------------------------------------------------------------

    [Fact]
    public void Round_trip_keeps_every_dtype_shape_and_value_in_the_reference_order()
    {
        using var scope = torch.NewDisposeScope();
        using var bf16Source = torch.tensor(new float[] { 1.5f, -2f, 0.25f });
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3),
            ["f64.scalar"] = torch.scalar_tensor(2.5, ScalarType.Float64),
            ["i64.empty"] = torch.zeros(new long[] { 0 }, ScalarType.Int64),
            ["i32.empty"] = torch.zeros(new long[] { 2, 0, 3 }, ScalarType.Int32),
            ["i32"] = torch.tensor(new int[] { -7, int.MaxValue }),
            ["bf16"] = bf16Source.to(ScalarType.BFloat16),
            ["f16"] = torch.tensor(new Half[] { (Half)0.5, (Half)(-1) }, 1, 2),
            ["i16"] = torch.tensor(new short[] { short.MinValue, 3 }),
            ["i8"] = torch.tensor(new sbyte[] { -128, 127 }),
            ["u8"] = torch.tensor(new byte[] { 0, 255, 7 }),
            ["bool"] = torch.tensor(new bool[] { true, false, true, true }, 2, 2),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        byte[] bytes = Safetensors.Serialize(tensors, metadata);
        using var file = Safetensors.Deserialize(bytes);

        // Descending reference dtype order (I64 > F64 > F32 > I32 > BF16 > F16 > I16 > I8 > U8 > BOOL), then name.
        Assert.Equal(new[] { "i64.empty", "f64.scalar", "f32", "i32", "i32.empty", "bf16", "f16", "i16", "i8", "u8", "bool" }, file.Tensors.Keys);
        foreach (var (name, original) in tensors)
        {
            var loaded = file.Tensors[name];
            Assert.Equal(original.dtype, loaded.dtype);
            Assert.Equal(original.shape, loaded.shape);
        }
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, file.Tensors["f32"].ToArray<float>());
        Assert.Empty(file.Tensors["f64.scalar"].shape);
        Assert.Equal(2.5, file.Tensors["f64.scalar"].item<double>());
        Assert.Equal(0, file.Tensors["i64.empty"].numel());
        Assert.Equal(new long[] { 2, 0, 3 }, file.Tensors["i32.empty"].shape);
        Assert.Equal(new int[] { -7, int.MaxValue }, file.Tensors["i32"].ToArray<int>());
        Assert.Equal(new float[] { 1.5f, -2f, 0.25f }, file.Tensors["bf16"].to(ScalarType.Float32).ToArray<float>());
        Assert.Equal(new Half[] { (Half)0.5, (Half)(-1) }, file.Tensors["f16"].ToArray<Half>());
        Assert.Equal(new short[] { short.MinValue, 3 }, file.Tensors["i16"].ToArray<short>());
        Assert.Equal(new sbyte[] { -128, 127 }, file.Tensors["i8"].ToArray<sbyte>());
        Assert.Equal(new byte[] { 0, 255, 7 }, file.Tensors["u8"].ToArray<byte>());
        Assert.Equal(new bool[] { true, false, true, true }, file.Tensors["bool"].ToArray<bool>());
        Assert.Equal(new KeyValuePair<string, string>[] { new("format", "pt") }, file.Metadata!);

        // What was read writes back to the same bytes, so load-and-save never reorders a file.
        Assert.Equal(bytes, Safetensors.Serialize(file.Tensors, file.Metadata));
    }

    [Fact]
    public void Save_and_Load_through_a_file_match_Serialize_and_replace_an_existing_file()
    {
        string dir = Directory.CreateTempSubdirectory("cema-safetensors-").FullName;
        try
        {
            string path = Path.Combine(dir, "model.safetensors");
            File.WriteAllText(path, "an older file");
            using var w = torch.tensor(new float[] { 1, 2, 3, 4, 5, 6 }, 2, 3);
            using var b = torch.tensor(new long[] { 9 });
            var tensors = new Dictionary<string, Tensor> { ["w"] = w, ["b"] = b };

            Safetensors.Save(path, tensors);

            Assert.Equal(Safetensors.Serialize(tensors), File.ReadAllBytes(path));
            Assert.Equal(new[] { path }, Directory.GetFiles(dir));
            using var file = Safetensors.Load(path);
            Assert.Equal(new[] { "b", "w" }, file.Tensors.Keys);
            Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, file.Tensors["w"].ToArray<float>());
            Assert.Null(file.Metadata);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_non_contiguous_tensor_is_written_in_row_major_order_of_its_shape()
    {
        using var scope = torch.NewDisposeScope();
        var transposed = torch.arange(6, ScalarType.Float32).reshape(2, 3).t();

        using var file = Safetensors.Deserialize(Safetensors.Serialize(new Dictionary<string, Tensor> { ["t"] = transposed }));

        Assert.Equal(new long[] { 3, 2 }, file.Tensors["t"].shape);
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, file.Tensors["t"].ToArray<float>());
    }

    // ---- byte compatibility with the reference (Python) writer --------------------------------

    [Fact]
    public void Writer_output_equals_bytes_built_by_hand_from_the_reference_writer_rules()
    {
        using var scope = torch.NewDisposeScope();
        var tensors = new Dictionary<string, Tensor>
        {
            ["mask"] = torch.tensor(new bool[] { true, false, true }),
            ["b"] = torch.tensor(new float[] { 1, -2 }),
            ["h"] = torch.tensor(new Half[] { (Half)1.5, (Half)(-0.25) }),
            ["step"] = torch.scalar_tensor(7, ScalarType.Int64),
            ["a"] = torch.tensor(new float[] { 0.5f }),
        };

        // Order: dtype descending in the reference enum (I64, F32, F16, BOOL), then name; compact
        // JSON with __metadata__ first; 310 bytes of JSON padded with 2 spaces to 312.
        string header =
            "{\"__metadata__\":{\"format\":\"pt\"}," +
            "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]}," +
            "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}," +
            "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}," +
            "\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[20,24]}," +
            "\"mask\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[24,27]}}" +
            "  ";
        var expected = new byte[8 + 312 + 27];
        BinaryPrimitives.WriteUInt64LittleEndian(expected, 312);
        Assert.Equal(312, Encoding.UTF8.GetBytes(header, 0, header.Length, expected, 8));
        var data = expected.AsSpan(8 + 312);
        BinaryPrimitives.WriteInt64LittleEndian(data[0..], 7);
        BinaryPrimitives.WriteSingleLittleEndian(data[8..], 0.5f);
        BinaryPrimitives.WriteSingleLittleEndian(data[12..], 1f);
        BinaryPrimitives.WriteSingleLittleEndian(data[16..], -2f);
        BinaryPrimitives.WriteHalfLittleEndian(data[20..], (Half)1.5);
        BinaryPrimitives.WriteHalfLittleEndian(data[22..], (Half)(-0.25));
        data[24] = 1;
        data[25] = 0;
        data[26] = 1;

        Assert.Equal(expected, Safetensors.Serialize(tensors, new Dictionary<string, string> { ["format"] = "pt" }));
    }

    // The byte vectors that the reference implementation's own tests (safetensors/src/tensor.rs:
    // test_serialization, test_empty, test_serialization_forced_alignement) assert its writer produces.
    // Each holds at most one F32 tensor of the values 0..5: name (null for none), shape, the
    // "framework" metadata value (null for no metadata), and the padded header.
    public static TheoryData<string?, long[], string?, string> ReferenceVectors => new()
    {
        { "attn.0", new long[] { 1, 2, 3 }, null, "{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}" },
        { "attn0", new long[] { 1, 1, 2, 3 }, null, "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       " },
        { null, new long[] { 6 }, null, "{}      " },
        { null, new long[] { 6 }, "pt", "{\"__metadata__\":{\"framework\":\"pt\"}}     " },
    };

    [Theory]
    [MemberData(nameof(ReferenceVectors))]
    public void Writer_reproduces_the_reference_test_vectors(string? name, long[] shape, string? framework, string header)
    {
        var values = new float[] { 0, 1, 2, 3, 4, 5 };
        using var tensor = torch.tensor(values, shape);
        var tensors = name is null ? new Dictionary<string, Tensor>() : new Dictionary<string, Tensor> { [name] = tensor };
        var metadata = framework is null ? null : new Dictionary<string, string> { ["framework"] = framework };

        var data = new byte[name is null ? 0 : 4 * values.Length];
        for (int i = 0; i < data.Length / 4; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), values[i]);

        Assert.Equal(0, header.Length % 8);
        Assert.Equal(Build(header, data), Safetensors.Serialize(tensors, metadata));
    }

    [Fact]
    public void Names_sort_by_their_UTF8_bytes_as_Rust_compares_strings()
    {
        using var scope = torch.NewDisposeScope();
        // UTF-16 order would put the emoji (a surrogate pair, 0xD83D...) before U+E000; UTF-8 order puts it after (F0 > EE).
        string[] names = { "\U0001F600", "\uE000", "é", "z", "Z" };
        var tensors = names.ToDictionary(n => n, _ => torch.tensor(new byte[] { 1 }));

        using var file = Safetensors.Deserialize(Safetensors.Serialize(tensors));

        Assert.Equal(new[] { "Z", "z", "é", "\uE000", "\U0001F600" }, file.Tensors.Keys);
    }

    [Fact]
    public void Names_and_metadata_are_escaped_as_serde_json_escapes_them()
    {
        using var t = torch.tensor(new byte[] { 1 });
        string name = "q\"b\\s\n\t\u0001\u001f é/<+&\u007f";

        byte[] bytes = Safetensors.Serialize(
            new Dictionary<string, Tensor> { [name] = t },
            new Dictionary<string, string> { ["k"] = "v\r\b\f" });

        string json = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)).TrimEnd(' ');
        Assert.Equal(
            "{\"__metadata__\":{\"k\":\"v\\r\\b\\f\"}," +
            "\"q\\\"b\\\\s\\n\\t\\u0001\\u001f é/<+&\u007f\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}",
            json);
        using var file = Safetensors.Deserialize(bytes);
        Assert.Equal(name, Assert.Single(file.Tensors.Keys));
    }

    [Fact]
    public void Metadata_keys_are_written_sorted_so_output_is_deterministic()
    {
        var metadata = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1", ["é"] = "3" };

        byte[] bytes = Safetensors.Serialize(new Dictionary<string, Tensor>(), metadata);

        Assert.StartsWith("{\"__metadata__\":{\"a\":\"1\",\"b\":\"2\",\"é\":\"3\"}}", Encoding.UTF8.GetString(bytes, 8, bytes.Length - 8));
    }

    [Fact]
    public void A_tensor_named_like_the_metadata_key_is_refused_on_write()
    {
        using var t = torch.tensor(new float[] { 1 });

        var e = Assert.Throws<ArgumentException>(() => Safetensors.Serialize(new Dictionary<string, Tensor> { ["__metadata__"] = t }));

        Assert.Contains("__metadata__", e.Message);
    }

    // ---- reading files written by hand -----------------------------------------------------------

    [Fact]
    public void Reads_a_file_written_by_hand_per_the_specification()
    {
        using var scope = torch.NewDisposeScope();
        // Header order differs from buffer order and __metadata__ comes last: both are allowed.
        string header =
            "{\"weight\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[16,32]}," +
            "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}," +
            "\"flags\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[36,39]}," +
            "\"half\":{\"dtype\":\"F16\",\"shape\":[],\"data_offsets\":[32,34]}," +
            "\"bf\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[34,36]}," +
            "\"none\":{\"dtype\":\"I32\",\"shape\":[0,4],\"data_offsets\":[39,39]}," +
            "\"__metadata__\":{\"format\":\"pt\",\"note\":\"hand made\"}}";
        var data = new byte[39];
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(0), -3);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(8), 1L << 40);
        float[] weight = { 1.5f, -2f, 3.25f, 1e-3f };
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(16 + 4 * i), weight[i]);
        BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(32), (Half)(-6.5));
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(34), 0x3FC0); // 1.5 in bfloat16
        data[36] = 1;
        data[37] = 0;
        data[38] = 1;

        using var file = Safetensors.Deserialize(Build(header, data));

        Assert.Equal(new[] { "ids", "weight", "half", "bf", "flags", "none" }, file.Tensors.Keys);
        var t = file.Tensors;
        Assert.Equal(ScalarType.Int64, t["ids"].dtype);
        Assert.Equal(new long[] { 2 }, t["ids"].shape);
        Assert.Equal(new long[] { -3, 1L << 40 }, t["ids"].ToArray<long>());
        Assert.Equal(ScalarType.Float32, t["weight"].dtype);
        Assert.Equal(new long[] { 2, 2 }, t["weight"].shape);
        Assert.Equal(weight, t["weight"].ToArray<float>());
        Assert.Equal(ScalarType.Float16, t["half"].dtype);
        Assert.Empty(t["half"].shape);
        Assert.Equal(new Half[] { (Half)(-6.5) }, t["half"].ToArray<Half>());
        Assert.Equal(ScalarType.BFloat16, t["bf"].dtype);
        Assert.Equal(new long[] { 1 }, t["bf"].shape);
        Assert.Equal(new float[] { 1.5f }, t["bf"].to(ScalarType.Float32).ToArray<float>());
        Assert.Equal(ScalarType.Bool, t["flags"].dtype);
        Assert.Equal(new bool[] { true, false, true }, t["flags"].ToArray<bool>());
        Assert.Equal(ScalarType.Int32, t["none"].dtype);
        Assert.Equal(new long[] { 0, 4 }, t["none"].shape);
        Assert.Equal(new KeyValuePair<string, string>[] { new("format", "pt"), new("note", "hand made") }, file.Metadata!);
    }

    [Fact]
    public void A_null_metadata_reads_as_no_metadata()
    {
        using var file = Safetensors.Deserialize(Build("{\"__metadata__\":null}", []));

        Assert.Null(file.Metadata);
        Assert.Empty(file.Tensors);
    }

    // ---- corrupt input ----------------------------------------------------------------------------

    private const string F32x2 = "{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    // header JSON, data buffer length, expected TensorName, expected Field, a fragment of the message.
    public static TheoryData<string, int, string?, string?, string> CorruptHeaders => new()
    {
        { "{\"w\":" + F32x2 + ",\"v\":", 8, null, "header", "not valid JSON" },
        { "[]", 0, null, "header", "must start with '{'" },
        { " {}", 0, null, "header", "must start with '{'" },
        { "{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "w", "dtype", "dtype \"Q7\" is not one Cema.Torch reads" },
        { "{\"w\":{\"dtype\":\"U16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4, "w", "dtype", "\"U16\"" },
        { "{\"w\":{\"dtype\":7,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "w", "dtype", "dtype a number" },
        { "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "w", "dtype", "has no \"dtype\"" },
        { "{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, "w", "dtype", "appears twice" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, "w", "shape", "non-negative integers" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, "w", "shape", "non-negative integers" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, "w", "shape", "more bytes than a file can hold" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,9]}}", 8, "w", "data_offsets", "two non-negative integers" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8, "w", "data_offsets", "end before they begin" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", 20, "w", "data_offsets", "needs 24 bytes but data_offsets [0, 20] hold 20" },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 8, "w", "data_offsets", "run past the end of the 8-byte data buffer" },
        { "{\"w\":" + F32x2 + ",\"v\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, "v", "data_offsets", "overlap tensor \"w\" at [0, 8]" },
        { "{\"w\":" + F32x2 + ",\"v\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[10,12]}}", 12, "v", "data_offsets", "leave bytes 8..10" },
        { "{\"w\":" + F32x2 + "}", 10, null, "data_offsets", "holds 10 bytes but the tensors cover only 8" },
        { "{\"w\":" + F32x2 + ",\"w\":" + F32x2 + "}", 8, "w", null, "tensor \"w\" appears twice" },
        { "{\"w\":[1]}", 0, "w", null, "must be an object" },
        { "{\"__metadata__\":{\"epoch\":3}}", 0, null, "__metadata__", "value of \"epoch\" must be a string" },
        { "{\"__metadata__\":[]}", 0, null, "__metadata__", "must be an object" },
        { "{\"__metadata__\":{\"a\":\"1\",\"a\":\"2\"}}", 0, null, "__metadata__", "key \"a\" twice" },
        { "{\"__metadata__\":{},\"__metadata__\":{}}", 0, null, "__metadata__", "appears twice" },
    };

    [Theory]
    [MemberData(nameof(CorruptHeaders))]
    public void A_corrupt_header_names_the_tensor_and_field_at_fault(string header, int dataLength, string? tensor, string? field, string message)
    {
        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Deserialize(Build(header, new byte[dataLength])));

        Assert.Contains(message, e.Message);
        Assert.Equal(tensor, e.TensorName);
        Assert.Equal(field, e.Field);
        if (tensor != null) Assert.Contains($"\"{tensor}\"", e.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_refused()
    {
        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Deserialize(new byte[] { 8, 0, 0 }));

        Assert.Equal("header", e.Field);
        Assert.Contains("too short", e.Message);
    }

    [Fact]
    public void A_header_length_larger_than_the_file_is_refused()
    {
        var bytes = Build("{}", []);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 9);

        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Deserialize(bytes));

        Assert.Equal("header", e.Field);
        Assert.Contains("header length 9 is larger than the file", e.Message);
    }

    [Fact]
    public void A_header_longer_than_the_reference_limit_is_refused_before_parsing()
    {
        var bytes = new byte[8 + 100_000_001];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 100_000_001);

        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Deserialize(bytes));

        Assert.Contains("exceeds the 100000000-byte limit", e.Message);
    }

    [Fact]
    public void A_header_that_is_not_UTF8_is_refused()
    {
        var bytes = Build("{\"w\":{}}", []);
        bytes[10] = 0xFF;

        var e = Assert.Throws<SafetensorsException>(() => Safetensors.Deserialize(bytes));

        Assert.Equal("header", e.Field);
        Assert.Contains("not valid UTF-8", e.Message);
    }

    [Fact]
    public void Load_names_the_file_in_its_errors()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cema-corrupt-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, Build("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]));
        try
        {
            var e = Assert.Throws<SafetensorsException>(() => Safetensors.Load(path));

            Assert.StartsWith(path + ": tensor \"w\"", e.Message);
            Assert.Equal(("w", "data_offsets"), (e.TensorName, e.Field));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_of_an_empty_file_is_refused_as_too_short()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cema-empty-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, []);
        try
        {
            var e = Assert.Throws<SafetensorsException>(() => Safetensors.Load(path));

            Assert.Contains("too short", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>A file: the little-endian length of <paramref name="header"/>'s UTF-8, the header, then <paramref name="data"/>.</summary>
    private static byte[] Build(string header, byte[] data)
    {
        byte[] json = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + json.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)json.Length);
        json.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + json.Length);
        return bytes;
    }
}
