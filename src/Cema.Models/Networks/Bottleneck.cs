using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Networks;

/// <summary>torchvision's Bottleneck (v1.5: stride on the 3×3): 1×1-3×3-1×1 with 4× expansion.</summary>
public sealed class Bottleneck : Module
{
    public const int Expansion = 4;

    private readonly Conv2d conv1, conv2, conv3;
    private readonly BatchNorm2d bn1, bn2, bn3;
    private readonly Sequential? downsample;

    public Bottleneck(int inChannels, int width, int stride)
    {
        int outChannels = width * Expansion;
        conv1 = torch.nn.Conv2d(inChannels, width, 1, bias: false);
        bn1 = torch.nn.BatchNorm2d(width);
        conv2 = torch.nn.Conv2d(width, width, 3, stride: stride, padding: 1, bias: false);
        bn2 = torch.nn.BatchNorm2d(width);
        conv3 = torch.nn.Conv2d(width, outChannels, 1, bias: false);
        bn3 = torch.nn.BatchNorm2d(outChannels);
        RegisterModule("conv1", conv1);
        RegisterModule("bn1", bn1);
        RegisterModule("conv2", conv2);
        RegisterModule("bn2", bn2);
        RegisterModule("conv3", conv3);
        RegisterModule("bn3", bn3);
        if (stride != 1 || inChannels != outChannels)
        {
            downsample = torch.nn.Sequential(torch.nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), torch.nn.BatchNorm2d(outChannels));
            RegisterModule("downsample", downsample);
        }
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        using var a = conv1.call(x);
        using var b = bn1.call(a);
        b.relu_();
        using var c = conv2.call(b);
        using var d = bn2.call(c);
        d.relu_();
        using var e = conv3.call(d);
        var y = bn3.call(e);
        if (downsample is null) y.add_(x);
        else
        {
            using var identity = downsample.call(x);
            y.add_(identity);
        }
        return y.relu_().MoveToOuterScope();
    }
}
