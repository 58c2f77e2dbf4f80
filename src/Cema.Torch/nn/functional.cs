using Cema.Torch.Native;

namespace Cema.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>PyTorch's <c>torch.nn.functional</c>.</summary>
        public static class functional
        {
            private static long[] Pair(long v) => new[] { v, v };

            public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null, long[]? dilation = null, long groups = 1)
            {
                stride ??= Pair(1);
                padding ??= Pair(0);
                dilation ??= Pair(1);
                fixed (long* s = stride)
                fixed (long* p = padding)
                fixed (long* d = dilation)
                    return Status.Wrap(LibTorch.cema_conv2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s, p, d, groups, out var r), r);
            }

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding, long dilation = 1, long groups = 1) =>
                conv2d(input, weight, bias, Pair(stride), Pair(padding), Pair(dilation), groups);

            /// <summary>
            /// Batch normalization. In training mode it normalizes with batch statistics and, when running
            /// stats are given, updates them in place: running = (1 - momentum) * running + momentum * batch
            /// (the variance unbiased), as PyTorch does.
            /// </summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null, bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                Status.Wrap(LibTorch.cema_batch_norm(input.Handle, weight?.Handle ?? IntPtr.Zero, bias?.Handle ?? IntPtr.Zero,
                    running_mean?.Handle ?? IntPtr.Zero, running_var?.Handle ?? IntPtr.Zero, training ? 1 : 0, momentum, eps, out var r), r);

            /// <summary>
            /// Only the statistics half of training-mode <see cref="batch_norm"/> (ATen's <c>batch_norm_update_stats</c>):
            /// running = (1 − momentum)·running + momentum·batch per channel (mean, unbiased variance), in place, in one
            /// fused pass; no output. With momentum 1 and zero-filled tensors it yields the batch's own statistics,
            /// several times faster than <c>var</c> over dims (0, 2, 3) on CPU.
            /// </summary>
            public static void batch_norm_update_stats(Tensor input, Tensor running_mean, Tensor running_var, double momentum) =>
                Status.Check(LibTorch.cema_batch_norm_update_stats(input.Handle, running_mean.Handle, running_var.Handle, momentum));

            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Status.Wrap(LibTorch.cema_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, out var r), r);

            public static Tensor relu(Tensor input) => input.relu();

            public static Tensor gelu(Tensor input, bool tanh_approximation = false) => Status.Wrap(LibTorch.cema_gelu(input.Handle, tanh_approximation ? 1 : 0, out var r), r);

            /// <summary>Zeroes each element with probability p and scales the rest by 1/(1-p); identity when not training.</summary>
            public static Tensor dropout(Tensor input, double p = 0.5, bool training = true)
            {
                if (p is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
                return Status.Wrap(LibTorch.cema_dropout(input.Handle, p, training ? 1 : 0, out var r), r);
            }

            public static unsafe Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, long[]? dilation = null, bool ceil_mode = false)
            {
                stride ??= kernel_size;
                padding ??= Pair(0);
                dilation ??= Pair(1);
                fixed (long* k = kernel_size)
                fixed (long* s = stride)
                fixed (long* p = padding)
                fixed (long* d = dilation)
                    return Status.Wrap(LibTorch.cema_max_pool2d(input.Handle, k, s, p, d, ceil_mode ? 1 : 0, out var r), r);
            }

            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                max_pool2d(input, Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding));

            public static unsafe Tensor avg_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null, bool ceil_mode = false, bool count_include_pad = true)
            {
                stride ??= kernel_size;
                padding ??= Pair(0);
                fixed (long* k = kernel_size)
                fixed (long* s = stride)
                fixed (long* p = padding)
                    return Status.Wrap(LibTorch.cema_avg_pool2d(input.Handle, k, s, p, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0, out var r), r);
            }

            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                avg_pool2d(input, Pair(kernel_size), Pair(stride ?? kernel_size), Pair(padding));

            public static unsafe Tensor adaptive_avg_pool2d(Tensor input, long[] output_size)
            {
                fixed (long* o = output_size) return Status.Wrap(LibTorch.cema_adaptive_avg_pool2d(input.Handle, o, out var r), r);
            }

            public static Tensor adaptive_avg_pool2d(Tensor input, long output_size) => adaptive_avg_pool2d(input, Pair(output_size));

            public static Tensor softmax(Tensor input, long dim) => Status.Wrap(LibTorch.cema_softmax(input.Handle, dim, out var r), r);

            public static Tensor log_softmax(Tensor input, long dim) => Status.Wrap(LibTorch.cema_log_softmax(input.Handle, dim, out var r), r);

            /// <summary>
            /// Cross entropy of logits <paramref name="input"/> (N, C) against either class indices (int64, N)
            /// or class probabilities (floating, N×C: soft targets).
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignore_index = -100, double label_smoothing = 0.0)
            {
                if (reduction == Reduction.BatchMean) throw new ArgumentException("cross_entropy supports None, Mean and Sum", nameof(reduction));
                return Status.Wrap(LibTorch.cema_cross_entropy(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (long)reduction, ignore_index, label_smoothing, out var r), r);
            }

            public static Tensor nll_loss(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean, long ignore_index = -100)
            {
                if (reduction == Reduction.BatchMean) throw new ArgumentException("nll_loss supports None, Mean and Sum", nameof(reduction));
                return Status.Wrap(LibTorch.cema_nll_loss(input.Handle, target.Handle, weight?.Handle ?? IntPtr.Zero, (long)reduction, ignore_index, out var r), r);
            }

            /// <summary>KL divergence as PyTorch: <paramref name="input"/> holds log-probabilities; target probabilities (or log-probabilities with log_target).</summary>
            public static Tensor kl_div(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool log_target = false) =>
                Status.Wrap(LibTorch.cema_kl_div(input.Handle, target.Handle, (long)reduction, log_target ? 1 : 0, out var r), r);

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
            {
                if (reduction == Reduction.BatchMean) throw new ArgumentException("mse_loss supports None, Mean and Sum", nameof(reduction));
                return Status.Wrap(LibTorch.cema_mse_loss(input.Handle, target.Handle, (long)reduction, out var r), r);
            }
        }
    }
}
