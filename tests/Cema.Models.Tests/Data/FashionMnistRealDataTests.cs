using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

/// <summary>The real files from the Debian package dataset-fashion-mnist.</summary>
public class FashionMnistRealDataTests
{
    [Fact]
    public void Real_files_load_with_balanced_classes_and_split_55000_5000_10000()
    {
        FashionMnistSplits splits = FashionMnist.LoadSplits();
        Dataset test = TestData.Test;
        Assert.Equal(10_000, test.Count);
        Assert.Equal(10_000 * 784, test.Pixels.Length);
        Assert.All(Histogram(test.Labels), n => Assert.Equal(1_000, n));

        Assert.Equal(55_000, splits.Train.Count);
        Assert.Equal(5_000, splits.Validation.Count);
        Assert.Equal(10_000, splits.Test.Count);
        int[] trainFile = Histogram([.. splits.Train.Labels, .. splits.Validation.Labels]);
        Assert.All(trainFile, n => Assert.Equal(6_000, n));
        Assert.Equal(10, splits.Train.ClassNames.Count);
    }

    [Fact]
    public void Validation_is_the_last_5000_of_the_training_file()
    {
        Dataset trainFile = FashionMnist.LoadTrainFile();
        Assert.Equal(60_000, trainFile.Count);
        FashionMnistSplits splits = FashionMnistSplits.From(trainFile, TestData.Test);
        Assert.Equal(trainFile.Image(55_000).ToArray(), splits.Validation.Image(0).ToArray());
        Assert.Equal(trainFile.Image(59_999).ToArray(), splits.Validation.Image(4_999).ToArray());
        Assert.Equal(trainFile.Image(54_999).ToArray(), splits.Train.Image(54_999).ToArray());

        // The normalisation constants must be the training set's own statistics.
        double sum = 0, sumSquares = 0;
        foreach (byte p in trainFile.Pixels)
        {
            double v = p / 255.0;
            sum += v;
            sumSquares += v * v;
        }
        double mean = sum / trainFile.Pixels.Length;
        double std = Math.Sqrt(sumSquares / trainFile.Pixels.Length - mean * mean);
        Assert.Equal(ImageTensors.Mean, mean, 0.0005);
        Assert.Equal(ImageTensors.Std, std, 0.0005);
    }

    private static int[] Histogram(byte[] labels)
    {
        var counts = new int[10];
        foreach (byte l in labels) counts[l]++;
        return counts;
    }
}
