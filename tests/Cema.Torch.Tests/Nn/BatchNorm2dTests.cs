using static Cema.Torch.Tests.Nn.NormTestBatch;

namespace Cema.Torch.Tests.Nn;

public class BatchNorm2dTests
{
    [Fact]
    public void Buffers_start_as_PyTorch_sets_them()
    {
        using var bn = torch.nn.BatchNorm2d(3);
        Assert.Equal(new float[] { 0, 0, 0 }, bn.running_mean!.ToArray<float>());
        Assert.Equal(new float[] { 1, 1, 1 }, bn.running_var!.ToArray<float>());
        Assert.Equal(0L, bn.num_batches_tracked!.item<long>());
        Assert.Equal(new float[] { 1, 1, 1 }, bn.weight!.ToArray<float>());
        Assert.Equal(new float[] { 0, 0, 0 }, bn.bias!.ToArray<float>());
    }

    [Fact]
    public void Training_normalizes_with_batch_statistics()
    {
        using var bn = torch.nn.BatchNorm2d(2);
        using var x = Batch();
        using var y = bn.call(x);
        AssertClose(new[] { -3, -1, 1, 3 }.Select(v => v / Math.Sqrt(5 + Eps)).ToArray(), Channel(y, 0));
        AssertClose(new[] { -1, -1, 1, 1 }.Select(v => v / Math.Sqrt(1 + Eps)).ToArray(), Channel(y, 1));
    }

    [Fact]
    public void Running_statistics_move_by_momentum_with_the_unbiased_variance()
    {
        using var bn = torch.nn.BatchNorm2d(2, momentum: 0.1);
        using var x = Batch();
        using (bn.call(x)) { }
        AssertClose(new[] { 0.1 * 4, 0.1 * 1 }, bn.running_mean!.ToArray<float>());
        AssertClose(new[] { 0.9 + 0.1 * 20 / 3, 0.9 + 0.1 * 4 / 3 }, bn.running_var!.ToArray<float>());

        using (bn.call(x)) { }
        AssertClose(new[] { 0.9 * 0.4 + 0.1 * 4, 0.9 * 0.1 + 0.1 * 1 }, bn.running_mean.ToArray<float>());
        AssertClose(new[] { 0.9 * (0.9 + 0.1 * 20 / 3) + 0.1 * 20 / 3, 0.9 * (0.9 + 0.1 * 4 / 3) + 0.1 * 4 / 3 }, bn.running_var.ToArray<float>());
        Assert.Equal(2L, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Eval_normalizes_with_running_statistics_and_leaves_them_alone()
    {
        using var bn = torch.nn.BatchNorm2d(2, momentum: 0.1);
        using var x = Batch();
        using (bn.call(x)) { }
        bn.eval();
        using var y = bn.call(x);

        double mean0 = 0.4, var0 = 0.9 + 0.1 * 20 / 3;
        AssertClose(new double[] { 1, 3, 5, 7 }.Select(v => (v - mean0) / Math.Sqrt(var0 + Eps)).ToArray(), Channel(y, 0));
        double mean1 = 0.1, var1 = 0.9 + 0.1 * 4 / 3;
        AssertClose(new double[] { 0, 0, 2, 2 }.Select(v => (v - mean1) / Math.Sqrt(var1 + Eps)).ToArray(), Channel(y, 1));
        AssertClose(new[] { mean0, mean1 }, bn.running_mean!.ToArray<float>());
        Assert.Equal(1L, bn.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void Affine_scale_and_shift_apply_after_normalizing()
    {
        using var bn = torch.nn.BatchNorm2d(2);
        using (torch.no_grad())
        {
            bn.weight!.copy_(torch.tensor(new float[] { 2, 1 }));
            bn.bias!.copy_(torch.tensor(new float[] { 0.5f, -1 }));
        }
        using var x = Batch();
        using var y = bn.call(x);
        AssertClose(new[] { -3, -1, 1, 3 }.Select(v => 2 * v / Math.Sqrt(5 + Eps) + 0.5).ToArray(), Channel(y, 0));
        AssertClose(new[] { -1, -1, 1, 1 }.Select(v => v / Math.Sqrt(1 + Eps) - 1).ToArray(), Channel(y, 1));
    }

    [Fact]
    public void Null_momentum_keeps_a_cumulative_average()
    {
        using var bn = torch.nn.BatchNorm2d(2, momentum: null);
        using var x = Batch();
        using var shifted = Batch(shift: 2);
        using (bn.call(x)) { }
        AssertClose(new double[] { 4, 1 }, bn.running_mean!.ToArray<float>());
        using (bn.call(shifted)) { }
        AssertClose(new double[] { 5, 2 }, bn.running_mean.ToArray<float>());
    }

    [Fact]
    public void Without_tracking_there_are_no_buffers_and_eval_uses_batch_statistics()
    {
        using var bn = torch.nn.BatchNorm2d(2, affine: false, trackRunningStats: false);
        Assert.Empty(bn.named_buffers());
        Assert.Empty(bn.named_parameters());
        bn.eval();
        using var x = Batch();
        using var y = bn.call(x);
        AssertClose(new[] { -3, -1, 1, 3 }.Select(v => v / Math.Sqrt(5 + Eps)).ToArray(), Channel(y, 0));
    }

    [Fact]
    public void ToString_reads_like_PyTorch()
    {
        using var bn = torch.nn.BatchNorm2d(16, momentum: null);
        Assert.Equal("BatchNorm2d(16, eps=1e-05, momentum=None, affine=True, track_running_stats=True)", bn.ToString());
    }

    [Fact]
    public void Input_must_be_4d()
    {
        using var bn = torch.nn.BatchNorm2d(2);
        using var x = torch.zeros(4, 2);
        Assert.Contains("expected 4D input (got 2D input)", Assert.Throws<ArgumentException>(() => bn.call(x)).Message);
    }
}
