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
        var y = conv1.call(x).then(bn1.call).relu_().then(conv2.call).then(bn2.call).relu_().then(conv3.call).then(bn3.call);
        if (downsample is null) return y.add_(x).relu_();
        using var identity = downsample.call(x);
        return y.add_(identity).relu_();
    }
}
