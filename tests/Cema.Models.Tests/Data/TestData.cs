using Cema.Models.Data;

namespace Cema.Models.Tests.Data;

/// <summary>The real Fashion-MNIST test set, loaded once for all tests that need real images.</summary>
internal static class TestData
{
    private static readonly Lazy<Dataset> LazyTest = new(() => FashionMnist.LoadTest());

    public static Dataset Test => LazyTest.Value;

    /// <summary><paramref name="count"/> test-set indices spread over the whole set, so every class is represented.</summary>
    public static int[] SpreadIndices(int count) => Enumerable.Range(0, count).Select(i => i * 97 % Test.Count).ToArray();
}
