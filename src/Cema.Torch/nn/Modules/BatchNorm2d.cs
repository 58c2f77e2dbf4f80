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

        /// <summary>
        /// Test-time batch renormalization (CEMA, chenyaofo/CEMA <c>tbr_bn_forward_impl</c>): the value is
        /// the input normalized with the running statistics, while the gradient flows through the batch
        /// statistics, so entropy minimization on small target batches neither sees nor chases their noise.
        /// The running statistics start from the first batch seen in this mode (the source domain's are
        /// discarded); in training mode they then move by <see cref="momentum"/> toward each batch's.
        /// </summary>
        TestTimeRenorm,

        /// <summary>
        /// Always the batch's own statistics, in training and in eval, with or without a gradient; the running
        /// statistics are neither read nor moved. PyTorch's layer with <c>track_running_stats = False</c>, which is how
        /// the official code prepares models for Tent, EATA and CEMA with <c>is_tbr: false</c>
        /// (<c>prepare_model_for_tent_tta</c>): predictions normalize each batch with its own statistics.
        /// </summary>
        BatchStatistics,
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
    public NormalizationMode mode
    {
        get => mode_;
        set
        {
            // Entering renormalization discards the source statistics, as the official code sets running_mean = None.
            if (value == NormalizationMode.TestTimeRenorm && mode_ != value) ResetRunningStatsOnNextBatch();
            mode_ = value;
        }
    }

    private NormalizationMode mode_ = NormalizationMode.Standard;

    /// <summary>
    /// True while <see cref="NormalizationMode.TestTimeRenorm"/> waits for a batch to take its running
    /// statistics from: the next forward (training or eval) copies that batch's mean and unbiased variance in.
    /// </summary>
    public bool RunningStatsPending { get; private set; }

    /// <summary>Makes the next <see cref="NormalizationMode.TestTimeRenorm"/> forward overwrite the running statistics with its batch's.</summary>
    public void ResetRunningStatsOnNextBatch() => RunningStatsPending = true;

    /// <summary>
    /// Keeps the running statistics as they are now (e.g. just received from the cloud) instead of
    /// replacing them with the next batch's.
    /// </summary>
    public void KeepRunningStats() => RunningStatsPending = false;

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
            NormalizationMode.TestTimeRenorm => NormalizeTestTimeRenorm(input),
            NormalizationMode.BatchStatistics => torch.nn.functional.batch_norm(input, null, null, weight, bias, true, 0.0, eps),
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

    /// <summary>The <see cref="NormalizationMode.TestTimeRenorm"/> step, line for line the official <c>tbr_bn_forward_impl</c>.</summary>
    protected virtual Tensor NormalizeTestTimeRenorm(Tensor input)
    {
        if (running_mean is not { } runningMean || running_var is not { } runningVar)
            throw new InvalidOperationException("BatchNorm2d mode TestTimeRenorm needs running statistics (trackRunningStats: true)");
        using var scope = torch.NewDisposeScope();
        var dims = new long[] { 0, 2, 3 };

        // Inference (eval, no_grad: the edge's forward, the cloud's teacher logits): there is no gradient to
        // route through the batch statistics and no running update, and the value, (x − μ_B)/σ_B · r + d with
        // r = σ_B/σ_run and d = (μ_B − μ_run)/σ_run, is (x − μ_run)/σ_run. So normalize with the running
        // statistics in one fused pass, as eval-mode batch norm does: the long form costs twice the forward
        // of a whole ResNet (measured on ResNetSpec.Foundation, batch 128). Equal up to float rounding.
        if (!training && !torch.is_grad_enabled())
        {
            if (RunningStatsPending)
            {
                runningMean.copy_(input.mean(dims));
                runningVar.copy_(input.var(dims));
                num_batches_tracked?.zero_();
                RunningStatsPending = false;
            }
            return torch.nn.functional.batch_norm(input, runningMean, runningVar, weight, bias, false, 0.0, eps).MoveToOuterScope();
        }

        // With a gradient, the official long form is (x − μ_B)/σ_B · r + d, then γ·… + β, with σ_B from the unbiased
        // batch variance and r = σ_B/σ_run, d = (μ_B − μ_run)/σ_run held constant. Written as ~8 separate passes over
        // the activations (and as many backward), it cost 2.6× a standard training-mode batch norm on the cloud step
        // (`cema bench cloud-step`). The same function in one fused batch_norm call: batch_norm divides by
        // √(var_biased + ε′); with ε′ = ε·(n−1)/n, √(var_unbiased + ε) = √(n/(n−1)) · √(var_biased + ε′) exactly, so
        // (x − μ_B)/σ_B = c · batch_norm's x̂ with the constant c = √((n−1)/n). Then
        // γ((x − μ_B)/σ_B · r + d) + β = (γ·r·c) x̂ + (γ·d + β): the batch statistics inside batch_norm carry the
        // gradient to x, and γ, β get theirs through the per-channel weight and bias. Value and gradients are the long
        // form's, up to float rounding.
        long n = input.shape[0] * input.shape[2] * input.shape[3];
        // The batch's mean and unbiased variance (as torch.var_mean), in one fused pass: var over dims (0, 2, 3)
        // alone cost more than the whole batch_norm below.
        var batch_mean = torch.zeros(new[] { num_features }, input.dtype);
        var batch_var = torch.zeros(new[] { num_features }, input.dtype);
        using (torch.no_grad()) torch.nn.functional.batch_norm_update_stats(input, batch_mean, batch_var, 1.0);

        if (RunningStatsPending)
        {
            using var noGrad = torch.no_grad();
            runningMean.copy_(batch_mean);
            runningVar.copy_(batch_var);
            num_batches_tracked?.zero_();
            RunningStatsPending = false;
        }

        Tensor scale, shift;
        using (torch.no_grad())
        {
            var running_std = (runningVar + eps).sqrt();
            var r = (batch_var + eps).sqrt() / running_std;
            scale = r * Math.Sqrt((n - 1) / (double)n);
            shift = (batch_mean - runningMean) / running_std;
        }

        if (training)
        {
            double factor = CountTrainingBatch();
            using var noGrad = torch.no_grad();
            runningMean.add_(batch_mean - runningMean, factor);
            runningVar.add_(batch_var - runningVar, factor);
        }

        if (weight is { } w && bias is { } b)
        {
            scale = w * scale;
            shift = w * shift + b;
        }
        return torch.nn.functional.batch_norm(input, null, null, scale, shift, true, 0.0, eps * (n - 1) / n).MoveToOuterScope();
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
