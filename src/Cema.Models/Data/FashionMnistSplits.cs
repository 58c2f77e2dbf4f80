namespace Cema.Models.Data;

/// <summary>
/// The three splits the project trains, selects and tests on. Validation is carved from the end of
/// the training file so the test file stays untouched until evaluation.
/// </summary>
public sealed record FashionMnistSplits(Dataset Train, Dataset Validation, Dataset Test)
{
    public const int TrainCount = 55_000;
    public const int ValidationCount = 5_000;

    public static FashionMnistSplits From(Dataset trainFile, Dataset testFile)
    {
        if (trainFile.Count != TrainCount + ValidationCount)
            throw new ArgumentException($"the training file has {trainFile.Count} images, expected {TrainCount + ValidationCount}", nameof(trainFile));
        return new FashionMnistSplits(trainFile.Slice(0, TrainCount), trainFile.Slice(TrainCount, ValidationCount), testFile);
    }
}
