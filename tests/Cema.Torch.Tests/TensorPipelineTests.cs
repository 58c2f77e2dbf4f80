namespace Cema.Torch.Tests;

public class TensorPipelineTests
{
    [Fact]
    public void Then_returns_the_function_result_and_releases_the_input()
    {
        var input = torch.tensor(new float[] { 1, -2, 3 });
        var output = input.then(t => t.relu());
        Assert.True(input.IsDisposed);
        Assert.Equal(new float[] { 1, 0, 3 }, output.ToArray<float>());
        output.Dispose();
    }

    [Fact]
    public void Then_keeps_autograd_history_of_the_released_input()
    {
        using var x = torch.tensor(new double[] { 1, 2 }).requires_grad_();
        using var y = (x * 3).then(t => t.square()).then(t => t.sum());
        y.backward();
        using var g = x.grad!;
        // d/dx sum((3x)^2) = 18x
        Assert.Equal(new double[] { 18, 36 }, g.ToArray<double>());
    }
}
