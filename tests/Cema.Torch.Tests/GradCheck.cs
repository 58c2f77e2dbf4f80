using Cema.Torch;

namespace Cema.Torch.Tests;

/// <summary>
/// Compares autograd gradients with central finite differences. The function's output is reduced to a
/// scalar as sum(f(x) * W) with W a fixed random tensor (so every output element counts with its own
/// weight); each float64 input element is moved by ±h and the scalar re-evaluated without autograd.
/// </summary>
internal static class GradCheck
{
    /// <summary>Checks the gradient with respect to every input (all must be float64).</summary>
    public static void Check(Func<Tensor[], Tensor> f, params Tensor[] inputs) => Check(f, inputs, differentiable: null);

    /// <param name="differentiable">which inputs to check (null: all); the others are passed as constants.</param>
    /// <param name="expectNonZero">fail when every gradient is zero — guards against a vacuous check.
    /// Pass false only for functions whose gradient is zero almost everywhere (floor, sign, …).</param>
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, bool[]? differentiable, double h = 1e-6,
                             double rtol = 1e-6, double atol = 1e-6, bool expectNonZero = true, ulong seed = 20240611)
    {
        differentiable ??= inputs.Select(_ => true).ToArray();
        Assert.Equal(inputs.Length, differentiable.Length);
        for (int i = 0; i < inputs.Length; i++)
            if (differentiable[i]) Assert.Equal(ScalarType.Float64, inputs[i].dtype);

        using var scope = torch.NewDisposeScope();
        var shapes = inputs.Select(x => x.shape).ToArray();
        var data = inputs.Select(x => x.dtype == ScalarType.Float64 ? x.ToArray<double>() : null).ToArray();

        // Analytic gradients.
        var leaves = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            leaves[i] = inputs[i].detach().clone();
            if (differentiable[i]) leaves[i].requires_grad = true;
        }
        var output = f(leaves);
        Assert.Equal(ScalarType.Float64, output.dtype);
        using var generator = new Generator(seed);
        var weights = torch.randn(output.shape, ScalarType.Float64, generator);
        (output * weights).sum().backward();

        double largest = 0;
        var failures = new List<string>();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!differentiable[i]) continue;
            var g = leaves[i].grad;
            var analytic = g?.ToArray<double>() ?? new double[data[i]!.Length];
            if (g is not null) Assert.Equal(shapes[i], g.shape);
            var x = data[i]!;
            for (int j = 0; j < x.Length; j++)
            {
                double orig = x[j];
                x[j] = orig + h;
                double plus = Evaluate(f, inputs, data, shapes, weights);
                x[j] = orig - h;
                double minus = Evaluate(f, inputs, data, shapes, weights);
                x[j] = orig;
                double numeric = (plus - minus) / (2 * h);
                largest = Math.Max(largest, Math.Abs(numeric));
                if (Math.Abs(analytic[j] - numeric) > atol + rtol * Math.Abs(numeric))
                    failures.Add($"input {i} element {j}: autograd {analytic[j]:R}, finite difference {numeric:R}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        if (expectNonZero) Assert.True(largest > 1e-3, "every gradient is zero: the check would prove nothing");
    }

    private static double Evaluate(Func<Tensor[], Tensor> f, Tensor[] inputs, double[]?[] data, long[][] shapes, Tensor weights)
    {
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var args = new Tensor[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
            args[i] = data[i] is { } d ? torch.tensor(d).reshape(shapes[i]) : inputs[i].clone();
        return (f(args) * weights).sum().item<double>();
    }
}
