namespace Cema.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// PyTorch's <c>torch.nn.init</c>: fills a tensor in place, without recording gradients, from the
        /// global generator (<see cref="manual_seed"/>) so that initialization is reproducible.
        /// </summary>
        public static class init
        {
            /// <summary>Recommended gain for a nonlinearity, as PyTorch's <c>calculate_gain</c>.</summary>
            public static double calculate_gain(string nonlinearity, double? param = null) => nonlinearity switch
            {
                "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1.0,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2.0),
                "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"unsupported nonlinearity {nonlinearity}", nameof(nonlinearity)),
            };

            /// <summary>(fan_in, fan_out) of a weight shaped (out, in, *kernel), as PyTorch computes them.</summary>
            public static (long fan_in, long fan_out) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2) throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions", nameof(tensor));
                long receptiveField = 1;
                for (int i = 2; i < shape.Length; i++) receptiveField *= shape[i];
                return (shape[1] * receptiveField, shape[0] * receptiveField);
            }

            /// <summary>Uniform samples on [a, b).</summary>
            public static Tensor uniform_(Tensor tensor, double a = 0, double b = 1)
            {
                using var noGrad = no_grad();
                using var samples = rand(tensor.shape, tensor.dtype);
                tensor.copy_(samples.mul_(b - a).add_(a));
                return tensor;
            }

            /// <summary>
            /// He initialization, uniform on [-bound, bound] with bound = gain * sqrt(3 / fan).
            /// With a = sqrt(5) (what PyTorch's Conv and Linear use) the bound is 1 / sqrt(fan_in).
            /// </summary>
            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu")
            {
                // As PyTorch: nothing to fill, and a zero fan would make the bound infinite.
                if (tensor.numel() == 0) return tensor;
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                long fan = mode switch
                {
                    "fan_in" => fanIn,
                    "fan_out" => fanOut,
                    _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out", nameof(mode)),
                };
                double gain = calculate_gain(nonlinearity, a);
                double bound = Math.Sqrt(3.0) * gain / Math.Sqrt(fan);
                return uniform_(tensor, -bound, bound);
            }

            public static Tensor zeros_(Tensor tensor)
            {
                using var noGrad = no_grad();
                return tensor.zero_();
            }

            public static Tensor ones_(Tensor tensor)
            {
                using var noGrad = no_grad();
                return tensor.fill_(1);
            }
        }
    }
}
