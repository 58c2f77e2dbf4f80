using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Networks;

/// <summary>torchvision's BasicBlock: conv3×3-BN-ReLU-conv3×3-BN, plus the (projected) input, then ReLU.</summary>
public sealed class BasicBlock : Module
{
    private readonly Conv2d conv1, conv2;
    private readonly BatchNorm2d bn1, bn2;
    private readonly Sequential? downsample;

    public BasicBlock(int inChannels, int width, int stride)
    {
        conv1 = torch.nn.Conv2d(inChannels, width, 3, stride: stride, padding: 1, bias: false);
        bn1 = torch.nn.BatchNorm2d(width);
        conv2 = torch.nn.Conv2d(width, width, 3, padding: 1, bias: false);
        bn2 = torch.nn.BatchNorm2d(width);
        RegisterModule("conv1", conv1);
        RegisterModule("bn1", bn1);
        RegisterModule("conv2", conv2);
        RegisterModule("bn2", bn2);
        if (stride != 1 || inChannels != width)
        {
            downsample = torch.nn.Sequential(torch.nn.Conv2d(inChannels, width, 1, stride: stride, bias: false), torch.nn.BatchNorm2d(width));
            RegisterModule("downsample", downsample);
        }
    }

    public override Tensor forward(Tensor x)
    {
        var y = conv1.call(x).then(bn1.call).relu_().then(conv2.call).then(bn2.call);
        if (downsample is null) return y.add_(x).relu_();
        using var identity = downsample.call(x);
        return y.add_(identity).relu_();
    }
}
