using Cema.Torch.Optim;

namespace Cema.Torch.Tests.Optim;

public class SGDTests
{
    /// <summary>Minimizes x² from x = 1 (gradient 2x) and returns x after each step.</summary>
    private static float[] Trajectory(Func<IEnumerable<Tensor>, Optimizer> makeOptimizer, int steps = 3)
    {
        using var x = torch.tensor(new float[] { 1 }).requires_grad_();
        using var optimizer = makeOptimizer(new[] { x });
        var trajectory = new float[steps];
        for (int i = 0; i < steps; i++)
        {
            using (torch.NewDisposeScope())
            {
                optimizer.zero_grad();
                (x * x).sum().backward();
                optimizer.step();
            }
            trajectory[i] = x.item<float>();
        }
        return trajectory;
    }

    private static void AssertTrajectory(double[] expected, float[] actual)
    {
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-6, $"step {i + 1}: expected {expected[i]}, got {actual[i]}");
    }

    // Worked by hand with lr 0.1, g = 2x.
    [Fact]
    public void Plain_steps_move_against_the_gradient()
    {
        // x ← x − 0.1·2x = 0.8x
        AssertTrajectory(new[] { 0.8, 0.64, 0.512 }, Trajectory(p => torch.optim.SGD(p, lr: 0.1)));
    }

    [Fact]
    public void Momentum_buffer_starts_as_the_gradient_and_accumulates()
    {
        // buf: 2 → 0.9·2 + 1.6 = 3.4 → 0.9·3.4 + 0.92 = 3.98;  x: 1 − 0.2, 0.8 − 0.34, 0.46 − 0.398
        AssertTrajectory(new[] { 0.8, 0.46, 0.062 }, Trajectory(p => torch.optim.SGD(p, lr: 0.1, momentum: 0.9)));
    }

    [Fact]
    public void Dampening_scales_new_gradients_but_not_the_first()
    {
        // buf: 2 (undamped) → 0.9·2 + 0.5·1.6 = 2.6 → 0.9·2.6 + 0.5·1.08 = 2.88;  x: 0.8, 0.54, 0.252
        AssertTrajectory(new[] { 0.8, 0.54, 0.252 }, Trajectory(p => torch.optim.SGD(p, lr: 0.1, momentum: 0.9, dampening: 0.5)));
    }

    [Fact]
    public void Nesterov_steps_along_gradient_plus_momentum_times_buffer()
    {
        // d = g + 0.9·buf: 2 + 1.8 = 3.8 → 1.24 + 0.9·3.04 = 3.976 → 0.4448 + 0.9·3.1808 = 3.30752
        AssertTrajectory(new[] { 0.62, 0.2224, -0.108352 }, Trajectory(p => torch.optim.SGD(p, lr: 0.1, momentum: 0.9, nesterov: true)));
    }

    [Fact]
    public void Weight_decay_adds_decay_times_parameter_to_the_gradient()
    {
        // d = 2x + 0.1x, so x ← 0.79x
        AssertTrajectory(new[] { 0.79, 0.6241, 0.493039 }, Trajectory(p => torch.optim.SGD(p, lr: 0.1, weight_decay: 0.1)));
    }

    [Fact]
    public void Hyperparameters_are_properties_and_are_validated()
    {
        using var x = torch.zeros(new long[] { 1 }, requires_grad: true);
        using var sgd = torch.optim.SGD(new[] { x }, lr: 0.1, momentum: 0.9, nesterov: true);
        Assert.Equal((0.1, 0.9, 0.0, 0.0, true), (sgd.lr, sgd.momentum, sgd.dampening, sgd.weight_decay, sgd.nesterov));
        sgd.lr = 0.01;
        Assert.Equal(0.01, sgd.lr);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.lr = -1);
        Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { x }, lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => torch.optim.SGD(new[] { x }, lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
    }
}
