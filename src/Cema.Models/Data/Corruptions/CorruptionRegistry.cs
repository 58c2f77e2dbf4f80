namespace Cema.Models.Data;

/// <summary>The 19 corruptions by name, in ImageNet-C's order (its make_imagenet_c.py's OrderedDict).</summary>
internal static class CorruptionRegistry
{
    public static readonly IReadOnlyList<Corruption> Test =
    [
        new GaussianNoise(), new ShotNoise(), new ImpulseNoise(),
        new DefocusBlur(), new GlassBlur(), new MotionBlur(), new ZoomBlur(),
        new Snow(), new Frost(), new Fog(), new Brightness(), new Contrast(),
        new ElasticTransform(), new Pixelate(), new JpegCompression(),
    ];

    public static readonly IReadOnlyList<Corruption> Validation =
    [
        new SpeckleNoise(), new GaussianBlur(), new Spatter(), new Saturate(),
    ];

    public static readonly IReadOnlyList<Corruption> All = [.. Test, .. Validation];

    public static readonly IReadOnlyList<string> Names = All.Select(c => c.Name).ToArray();

    private static readonly Dictionary<string, Corruption> ByName = All.ToDictionary(c => c.Name, StringComparer.Ordinal);

    public static Corruption Get(string name) =>
        ByName.TryGetValue(name, out var corruption)
            ? corruption
            : throw new ArgumentException($"unknown corruption '{name}'; known: {string.Join(", ", Names)}", nameof(name));
}
