using Cema.Torch;

namespace Cema.Torch.Tests.Ops;

/// <summary>Random creation with the global generator (manual_seed) and with Generator objects.</summary>
[Collection(ProcessWideStateCollection.Name)]
public class GeneratorTests
{
    [Fact]
    public void Manual_seed_makes_randn_reproducible_and_another_seed_differs()
    {
        torch.manual_seed(42);
        using var a = torch.randn(1000);
        torch.manual_seed(42);
        using var b = torch.randn(1000);
        torch.manual_seed(43);
        using var c = torch.randn(1000);
        Assert.True(a.equal(b));
        Assert.False(a.equal(c));
        Assert.Equal(ScalarType.Float32, a.dtype);
        // A second draw continues the stream instead of repeating it.
        using var a2 = torch.randn(1000);
        Assert.False(a2.equal(c));
    }

    [Fact]
    public void Randn_is_standard_normal()
    {
        torch.manual_seed(1);
        using var x = torch.randn(new long[] { 200, 100 }, ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, x.dtype);
        Assert.Equal(new long[] { 200, 100 }, x.shape);
        var v = x.ToArray<double>();
        double mean = v.Average();
        double sd = Math.Sqrt(v.Sum(e => (e - mean) * (e - mean)) / (v.Length - 1));
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(sd, 0.95, 1.05);
        Assert.Contains(v, e => e < -2);
        Assert.Contains(v, e => e > 2);
    }

    [Fact]
    public void Rand_is_uniform_on_the_half_open_unit_interval()
    {
        torch.manual_seed(2);
        using var x = torch.rand(20000);
        var v = x.ToArray<float>();
        Assert.All(v, e => Assert.InRange(e, 0f, 0.99999994f));
        Assert.InRange(v.Average(), 0.49, 0.51);
        Assert.InRange(v.Count(e => e < 0.25f) / (double)v.Length, 0.24, 0.26);
        torch.manual_seed(2);
        using var y = torch.rand(20000);
        Assert.True(x.equal(y));
    }

    [Fact]
    public void Randint_is_in_range_int64_and_covers_every_value()
    {
        torch.manual_seed(3);
        using var x = torch.randint(3, 7, new long[] { 1000 });
        Assert.Equal(ScalarType.Int64, x.dtype);
        var v = x.ToArray<long>();
        Assert.All(v, e => Assert.InRange(e, 3L, 6L));
        Assert.Equal(new long[] { 3, 4, 5, 6 }, v.Distinct().Order().ToArray());
        torch.manual_seed(3);
        using var y = torch.randint(3, 7, new long[] { 1000 });
        Assert.True(x.equal(y));
        Expect.TorchError(() => torch.randint(5, 5, new long[] { 2 }), "random_ expects 'from' to be less than 'to'");
    }

    [Fact]
    public void Randperm_is_a_permutation_and_reproducible()
    {
        torch.manual_seed(4);
        using var p = torch.randperm(20);
        Assert.Equal(ScalarType.Int64, p.dtype);
        var v = p.ToArray<long>();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), v.Order());
        Assert.NotEqual(Enumerable.Range(0, 20).Select(i => (long)i), v); // shuffled
        torch.manual_seed(4);
        using var q = torch.randperm(20);
        Assert.True(p.equal(q));
        torch.manual_seed(5);
        using var r = torch.randperm(20);
        Assert.False(p.equal(r));
    }

    [Fact]
    public void Generators_with_the_same_seed_agree_and_different_seeds_differ()
    {
        using var g1 = new Generator(7);
        using var g2 = new Generator(7);
        using var g3 = new Generator(8);
        Assert.Equal(7UL, g1.Seed);

        using var a = torch.randn(new long[] { 50 }, generator: g1);
        using var b = torch.randn(new long[] { 50 }, generator: g2);
        using var c = torch.randn(new long[] { 50 }, generator: g3);
        Assert.True(a.equal(b));
        Assert.False(a.equal(c));

        using var ua = torch.rand(new long[] { 50 }, ScalarType.Float64, g1);
        using var ub = torch.rand(new long[] { 50 }, ScalarType.Float64, g2);
        Assert.True(ua.equal(ub));
        Assert.All(ua.ToArray<double>(), e => Assert.InRange(e, 0.0, 1.0 - 1e-17));

        using var ia = torch.randint(0, 1000, new long[] { 50 }, g1);
        using var ib = torch.randint(0, 1000, new long[] { 50 }, g2);
        using var ic = torch.randint(0, 1000, new long[] { 50 }, g3);
        Assert.True(ia.equal(ib));
        Assert.False(ia.equal(ic));

        using var pa = torch.randperm(30, g1);
        using var pb = torch.randperm(30, g2);
        using var pc = torch.randperm(30, g3);
        Assert.True(pa.equal(pb));
        Assert.False(pa.equal(pc));
        Assert.Equal(Enumerable.Range(0, 30).Select(i => (long)i), pa.ToArray<long>().Order());
    }

    [Fact]
    public void A_generator_does_not_advance_the_global_stream_and_vice_versa()
    {
        torch.manual_seed(11);
        using var expected = torch.randn(10);

        torch.manual_seed(11);
        using var g = new Generator(99);
        using var fromG = torch.randn(new long[] { 10 }, generator: g);
        using var actual = torch.randn(10);
        Assert.True(expected.equal(actual));

        using var g2 = new Generator(99);
        torch.manual_seed(12);
        using var noise = torch.randn(100);
        using var fromG2 = torch.randn(new long[] { 10 }, generator: g2);
        Assert.True(fromG.equal(fromG2));
    }

    [Fact]
    public void Random_tensors_can_require_grad()
    {
        using var g = new Generator(1);
        using var x = torch.randn(new long[] { 3 }, ScalarType.Float64, g, requires_grad: true);
        Assert.True(x.requires_grad);
        Assert.True(x.is_leaf);
    }

    [Fact]
    public void A_disposed_generator_cannot_be_used()
    {
        var g = new Generator(1);
        g.Dispose();
        g.Dispose();
        Assert.Throws<ObjectDisposedException>(() => torch.randn(new long[] { 2 }, generator: g));
    }
}
