using Cema.Models.Adaptation;
using Cema.Torch;

namespace Cema.Models.Tests.Adaptation;

public class LossesTests
{
    private static readonly double[][] EdgeLogits = { new[] { 1.0, 0.0, -1.0 }, new[] { 0.5, 0.5, 0.0 }, new[] { -1.0, 2.0, 0.3 } };
    private static readonly double[][] TeacherLogits = { new[] { 2.0, 0.0, 0.0 }, new[] { 0.0, 1.0, 0.0 }, new[] { 0.0, 0.0, 3.0 } };

    private static Tensor ToTensor(double[][] rows, bool requiresGrad = false) =>
        torch.tensor(rows.SelectMany(r => r).ToArray(), rows.Length, rows[0].Length).requires_grad_(requiresGrad);

    // ---- the arithmetic, in plain doubles ----------------------------------------------------------

    private static double[] Softmax(double[] z, double t)
    {
        double max = z.Max();
        double[] e = z.Select(v => Math.Exp((v - max) / t)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static double H(double[] z)
    {
        double[] p = Softmax(z, 1);
        return -p.Sum(pc => pc * Math.Log(pc));
    }

    /// <param name="teacherLogits">TeacherLogits unless given.</param>
    /// <param name="balance">An extra per-sample factor on the KL and CE weights (class balance), none unless given.</param>
    private static (double total, double ent, double kl, double ce) ByHand(double alpha, double beta, double gamma, double t,
        double[][]? teacherLogits = null, double[]? balance = null)
    {
        double e0 = 0.4 * Math.Log(3);
        double ent = 0, kl = 0, ce = 0;
        for (int i = 0; i < 3; i++)
        {
            double[] zE = EdgeLogits[i], zF = (teacherLogits ?? TeacherLogits)[i];
            double hE = H(zE);
            ent += Math.Exp(e0 - hE) * hE;

            double w = Math.Exp(e0 - H(zF)) * (balance?[i] ?? 1); // from the teacher's entropy at T = 1
            double[] pF = Softmax(zF, t), pE = Softmax(zE, t);
            double klI = 0;
            for (int c = 0; c < 3; c++) klI += pF[c] * (Math.Log(pF[c]) - Math.Log(pE[c]));
            kl += w * t * t * klI;

            int label = Array.IndexOf(zF, zF.Max());
            ce += w * -Math.Log(Softmax(zE, 1)[label]);      // cross entropy on the raw edge logits
        }
        ent /= 3;
        kl /= 3;
        ce /= 3;
        return (alpha * ent + beta * kl + gamma * ce, ent, kl, ce);
    }

    [Theory]
    [InlineData(3, 3, 1, 1)]     // the official configuration
    [InlineData(0.5, 2, 4, 2)]   // distinct weights and T = 2, so each coefficient and T² is exercised
    public void Distillation_loss_equals_the_hand_computed_value(double alpha, double beta, double gamma, double t)
    {
        using var scope = torch.NewDisposeScope();
        var settings = OfficialSettings.Cloud with { Alpha = alpha, Beta = beta, Gamma = gamma, Temperature = t };
        var loss = Losses.Distillation(ToTensor(EdgeLogits), ToTensor(TeacherLogits), settings);
        var expected = ByHand(alpha, beta, gamma, t);
        Assert.Equal(expected.ent, loss.Entropy.item<double>(), 10);
        Assert.Equal(expected.kl, loss.Kl.item<double>(), 10);
        Assert.Equal(expected.ce, loss.CrossEntropy.item<double>(), 10);
        Assert.Equal(expected.total, loss.Total.item<double>(), 10);
    }

    [Fact]
    public void The_teacher_gets_no_gradient_and_the_entropy_weight_is_a_constant()
    {
        using var scope = torch.NewDisposeScope();
        var edge = ToTensor(EdgeLogits, requiresGrad: true);
        var teacher = ToTensor(TeacherLogits, requiresGrad: true);
        Losses.Distillation(edge, teacher, OfficialSettings.Cloud with { Beta = 0, Gamma = 0, Alpha = 1 }).Total.backward();
        Assert.Null(teacher.grad);

        // With sg on the weight, d/dz of mean_i c_i·H_i is c_i·dH_i/dz / 3 with c_i = exp(E0 − H_i) held fixed.
        // Checked for row 0 against a central difference of H alone.
        double e0 = 0.4 * Math.Log(3), c0 = Math.Exp(e0 - H(EdgeLogits[0]));
        double[] grad = edge.grad!.ToArray<double>();
        for (int k = 0; k < 3; k++)
        {
            double[] plus = (double[])EdgeLogits[0].Clone(), minus = (double[])EdgeLogits[0].Clone();
            plus[k] += 1e-6;
            minus[k] -= 1e-6;
            double dH = (H(plus) - H(minus)) / 2e-6;
            Assert.Equal(c0 * dH / 3, grad[k], 7);
        }
    }

    [Fact]
    public void Weighted_entropy_is_the_foundation_loss()
    {
        using var scope = torch.NewDisposeScope();
        double e0 = 0.4 * Math.Log(3);
        double expected = EdgeLogits.Average(z => Math.Exp(e0 - H(z)) * H(z));
        Assert.Equal(expected, Losses.WeightedEntropy(ToTensor(EdgeLogits), e0).item<double>(), 10);
    }

    [Fact]
    public void Class_balance_weights_give_each_pseudo_class_the_same_total()
    {
        using var scope = torch.NewDisposeScope();
        // Labels 0, 0, 2, 0, 2 of 4 classes: K = 2 present, n_0 = 3, n_2 = 2, N = 5, so 5/6 and 5/4.
        var weights = Losses.ClassBalanceWeights(torch.tensor(new long[] { 0, 0, 2, 0, 2 }, 5), 4, ScalarType.Float64).ToArray<double>();
        double[] expected = { 5 / 6.0, 5 / 6.0, 5 / 4.0, 5 / 6.0, 5 / 4.0 };
        for (int i = 0; i < 5; i++) Assert.Equal(expected[i], weights[i], 12);
    }

    [Fact]
    public void Class_balance_reweights_only_KL_and_CE_by_the_teachers_pseudo_labels()
    {
        using var scope = torch.NewDisposeScope();
        // Rows 0 and 1 of this teacher both say class 0, row 2 class 2: weights 3/4, 3/4, 3/2.
        double[][] teacher = { new[] { 2.0, 0.0, 0.0 }, new[] { 1.0, 0.5, 0.0 }, new[] { 0.0, 0.0, 3.0 } };
        double[] balance = { 0.75, 0.75, 1.5 };
        var settings = OfficialSettings.Cloud with { ClassBalance = true };
        var loss = Losses.Distillation(ToTensor(EdgeLogits), ToTensor(teacher), settings);

        var (total, ent, kl, ce) = ByHand(3, 3, 1, 1, teacher, balance);
        Assert.Equal(ent, loss.Entropy.item<double>(), 10);
        Assert.Equal(kl, loss.Kl.item<double>(), 10);
        Assert.Equal(ce, loss.CrossEntropy.item<double>(), 10);
        Assert.Equal(total, loss.Total.item<double>(), 10);
        // The switch matters here: without it the same batch gives another KL.
        Assert.NotEqual(kl, Losses.Distillation(ToTensor(EdgeLogits), ToTensor(teacher), OfficialSettings.Cloud).Kl.item<double>(), 6);
    }

    [Fact]
    public void Mismatched_logits_are_refused()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => Losses.Distillation(torch.zeros(3, 3), torch.zeros(2, 3), OfficialSettings.Cloud));
    }
}
