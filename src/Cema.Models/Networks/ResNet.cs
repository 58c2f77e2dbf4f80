using Cema.Torch;
using Cema.Torch.Modules;

namespace Cema.Models.Networks;

/// <summary>
/// A ResNet built from a <see cref="ResNetSpec"/>, with torchvision's parameter names so that
/// converted torchvision weights load without renaming.
/// </summary>
public sealed class ResNet : Module
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly MaxPool2d? maxpool;
    private readonly Sequential[] layers;
    private readonly Linear fc;

    public ResNet(ResNetSpec spec)
    {
        Spec = spec;
        if (spec.Widths.Length != spec.Depths.Length || spec.Widths.Length != spec.Strides.Length)
            throw new ArgumentException($"{spec.Name}: Widths, Depths and Strides must have one entry per stage", nameof(spec));
        conv1 = torch.nn.Conv2d(spec.InChannels, spec.StemChannels, spec.StemKernel, stride: spec.StemStride, padding: spec.StemKernel / 2, bias: false);
        bn1 = torch.nn.BatchNorm2d(spec.StemChannels);
        RegisterModule("conv1", conv1);
        RegisterModule("bn1", bn1);
        if (spec.StemMaxPool)
        {
            maxpool = torch.nn.MaxPool2d(3, stride: 2, padding: 1);
            RegisterModule("maxpool", maxpool);
        }

        layers = new Sequential[spec.Widths.Length];
        int inChannels = spec.StemChannels;
        for (int s = 0; s < layers.Length; s++)
        {
            var blocks = new Module[spec.Depths[s]];
            for (int b = 0; b < blocks.Length; b++)
            {
                int stride = b == 0 ? spec.Strides[s] : 1;
                blocks[b] = spec.Block == ResNetBlock.Basic
                    ? new BasicBlock(inChannels, spec.Widths[s], stride)
                    : new Bottleneck(inChannels, spec.Widths[s], stride);
                inChannels = spec.Widths[s] * spec.Expansion;
            }
            layers[s] = torch.nn.Sequential(blocks);
            RegisterModule($"layer{s + 1}", layers[s]);
        }
        fc = torch.nn.Linear(inChannels, spec.NumClasses);
        RegisterModule("fc", fc);
    }

    public ResNetSpec Spec { get; }

    public override Tensor forward(Tensor x)
    {
        var y = conv1.call(x).then(bn1.call).relu_();
        if (maxpool is not null) y = y.then(maxpool.call);
        foreach (var layer in layers) y = y.then(layer.call);
        return y.then(t => torch.nn.functional.adaptive_avg_pool2d(t, 1)).then(t => t.flatten(1)).then(fc.call);
    }

    /// <summary>Number of trainable values (weights, biases, BatchNorm affine parameters).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    /// <summary>All BatchNorm layers, in module order (what CEMA adapts).</summary>
    public IEnumerable<(string name, BatchNorm2d layer)> NormLayers() =>
        named_modules().Where(m => m.module is BatchNorm2d).Select(m => (m.name, (BatchNorm2d)m.module));
}
