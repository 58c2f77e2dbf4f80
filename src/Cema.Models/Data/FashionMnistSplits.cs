namespace Cema.Models.Data;

/// <summary>
/// The three splits the project trains, selects and tests on. Validation is carved from the end of
/// the training file so the test file stays untouched until evaluation.
/// </summary>
public sealed record FashionMnistSplits(Dataset Train, Dataset Validation, Dataset Test)
{
    public const int TrainCount = 55_000;
    public const int ValidationCount = 5_000;

    public static FashionMnistSplits From(Dataset trainFile, Dataset testFile) =>
        new(Check(trainFile).Slice(0, TrainCount), ValidationOf(trainFile), testFile);

    /// <summary>The validation split alone, for work that must not read the test file (choosing settings).</summary>
    public static Dataset ValidationOf(Dataset trainFile) => Check(trainFile).Slice(TrainCount, ValidationCount);

    private static Dataset Check(Dataset trainFile) => trainFile.Count == TrainCount + ValidationCount
        ? trainFile
        : throw new ArgumentException($"the training file has {trainFile.Count} images, expected {TrainCount + ValidationCount}", nameof(trainFile));
}
