using Cema.Torch;

namespace Cema.Torch.Tests;

public class SmokeTests
{
    [Fact]
    public void Add_of_two_tensors_is_elementwise()
    {
        using var a = torch.tensor(new float[] { 1, 2, 3 });
        using var b = torch.tensor(new float[] { 10, 20, 30 });
        using var c = a + b;
        Assert.Equal(new float[] { 11, 22, 33 }, c.ToArray<float>());
    }

    [Fact]
    public void Shape_error_raises_TorchException_with_LibTorch_text_and_next_op_works()
    {
        using var x = torch.zeros(1, 3, 8, 8);
        using var w = torch.zeros(4, 2, 3, 3);
        var e = Assert.Throws<TorchException>(() => torch.nn.functional.conv2d(x, w));
        Assert.Contains("expected input[1, 3, 8, 8] to have 2 channels", e.Message);
        using var ok = torch.ones(2, 2).sum();
        Assert.Equal(4f, ok.item<float>());
    }
}
