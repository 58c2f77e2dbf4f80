namespace Cema.Torch.Modules;

/// <summary>
/// Batch normalization over the channels of (N, C, H, W) input, as PyTorch's <c>torch.nn.BatchNorm2d</c>.
/// How statistics are chosen is a <see cref="NormalizationMode"/> of this class, so further schemes
/// (e.g. test-time batch renormalization) are added as modes here rather than as separate layers
/// with their own parameter names.
/// </summary>
public class BatchNorm2d : Module
{
    /// <summary>Which statistics normalize the input.</summary>
    public enum NormalizationMode
    {
        /// <summary>PyTorch's behaviour: batch statistics while training (updating the running ones), running statistics in eval.</summary>
        Standard,
    }

    public BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true)
    {
        if (numFeatures <= 0) throw new ArgumentOutOfRangeException(nameof(numFeatures), numFeatures, "num_features must be positive");
        if (eps < 0) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be non-negative");
        num_features = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.affine = affine;
        track_running_stats = trackRunningStats;

        RegisterParameter("weight", affine ? torch.ones(numFeatures) : null);
        RegisterParameter("bias", affine ? torch.zeros(numFeatures) : null);
        RegisterBuffer("running_mean", trackRunningStats ? torch.zeros(numFeatures) : null);
        RegisterBuffer("running_var", trackRunningStats ? torch.ones(numFeatures) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? torch.zeros(Array.Empty<long>(), ScalarType.Int64) : null);
    }

    public long num_features { get; }
    public double eps { get; set; }

    /// <summary>Weight of the batch statistics in the running update; null means a cumulative average over all batches seen.</summary>
    public double? momentum { get; set; }

    public bool affine { get; }
    public bool track_running_stats { get; }
    public NormalizationMode mode { get; set; } = NormalizationMode.Standard;

    /// <summary>Per-channel scale γ (null when not affine).</summary>
    public Tensor? weight => GetParameter("weight");

    /// <summary>Per-channel shift β (null when not affine).</summary>
    public Tensor? bias => GetParameter("bias");

    public Tensor? running_mean => GetBuffer("running_mean");
    public Tensor? running_var => GetBuffer("running_var");

    /// <summary>int64 count of training batches seen; drives the cumulative average when momentum is null.</summary>
    public Tensor? num_batches_tracked => GetBuffer("num_batches_tracked");

    public void reset_running_stats()
    {
        if (!track_running_stats) return;
        using var noGrad = torch.no_grad();
        running_mean!.zero_();
        running_var!.fill_(1);
        num_batches_tracked!.zero_();
    }

    public void reset_parameters()
    {
        reset_running_stats();
        if (!affine) return;
        torch.nn.init.ones_(weight!);
        torch.nn.init.zeros_(bias!);
    }

    public override Tensor forward(Tensor input)
    {
        long dims = input.dim();
        if (dims != 4) throw new ArgumentException($"expected 4D input (got {dims}D input)", nameof(input));
        return mode switch
        {
            NormalizationMode.Standard => NormalizeStandard(input),
            _ => throw new InvalidOperationException($"BatchNorm2d mode {mode} is not implemented"),
        };
    }

    /// <summary>The <see cref="NormalizationMode.Standard"/> step, line for line PyTorch's <c>_BatchNorm.forward</c>.</summary>
    protected virtual Tensor NormalizeStandard(Tensor input)
    {
        double averageFactor = training && track_running_stats ? CountTrainingBatch() : momentum ?? 0.0;

        // Without running statistics there is nothing else to normalize with, even in eval.
        bool useBatchStats = training || (running_mean is null && running_var is null);
        // While training without tracking, the running tensors (if any) must not be updated.
        bool passRunningStats = !training || track_running_stats;
        return torch.nn.functional.batch_norm(input,
            passRunningStats ? running_mean : null,
            passRunningStats ? running_var : null,
            weight, bias, useBatchStats, averageFactor, eps);
    }

    /// <summary>Counts one more training batch and returns the weight of its statistics in the running average.</summary>
    protected double CountTrainingBatch()
    {
        var count = num_batches_tracked;
        if (count is null) return momentum ?? 0.0;
        count.add_(1);
        return momentum ?? 1.0 / count.item<long>();
    }

    public override string extra_repr()
    {
        static string Number(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture).Replace('E', 'e');
        static string Bool(bool v) => v ? "True" : "False";
        return $"{num_features}, eps={Number(eps)}, momentum={(momentum is { } m ? Number(m) : "None")}, affine={Bool(affine)}, track_running_stats={Bool(track_running_stats)}";
    }
}
