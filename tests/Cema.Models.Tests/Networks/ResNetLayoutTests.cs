using Cema.Models.Networks;
using Cema.Torch;

namespace Cema.Models.Tests.Networks;

/// <summary>
/// Our ResNet builder against torchvision's layouts: a ResNet-18 state dict written here with
/// torchvision's exact key names, order and shapes loads with no missing or unexpected key, and
/// ResNet-50's keys match in number and in spot checks.
/// </summary>
public class ResNetLayoutTests
{
    /// <summary>
    /// torchvision.models.resnet18().state_dict(): name and shape of each of its 122 entries, in
    /// order ("-" is the 0-d int64 num_batches_tracked). From torchvision/models/resnet.py: conv1
    /// 7×7/2 → bn1 → (relu, maxpool) → layer1–4 of two BasicBlocks (conv1 3×3 with the stage's
    /// stride, bn1, conv2 3×3, bn2, and downsample = 1×1 conv + BN where stride ≠ 1 or the width
    /// changes, i.e. layer2.0, layer3.0, layer4.0) → fc 512→1000. Each BN has weight, bias,
    /// running_mean, running_var, num_batches_tracked.
    /// </summary>
    internal const string ResNet18Keys = """
conv1.weight 64,3,7,7
bn1.weight 64
bn1.bias 64
bn1.running_mean 64
bn1.running_var 64
bn1.num_batches_tracked -
layer1.0.conv1.weight 64,64,3,3
layer1.0.bn1.weight 64
layer1.0.bn1.bias 64
layer1.0.bn1.running_mean 64
layer1.0.bn1.running_var 64
layer1.0.bn1.num_batches_tracked -
layer1.0.conv2.weight 64,64,3,3
layer1.0.bn2.weight 64
layer1.0.bn2.bias 64
layer1.0.bn2.running_mean 64
layer1.0.bn2.running_var 64
layer1.0.bn2.num_batches_tracked -
layer1.1.conv1.weight 64,64,3,3
layer1.1.bn1.weight 64
layer1.1.bn1.bias 64
layer1.1.bn1.running_mean 64
layer1.1.bn1.running_var 64
layer1.1.bn1.num_batches_tracked -
layer1.1.conv2.weight 64,64,3,3
layer1.1.bn2.weight 64
layer1.1.bn2.bias 64
layer1.1.bn2.running_mean 64
layer1.1.bn2.running_var 64
layer1.1.bn2.num_batches_tracked -
layer2.0.conv1.weight 128,64,3,3
layer2.0.bn1.weight 128
layer2.0.bn1.bias 128
layer2.0.bn1.running_mean 128
layer2.0.bn1.running_var 128
layer2.0.bn1.num_batches_tracked -
layer2.0.conv2.weight 128,128,3,3
layer2.0.bn2.weight 128
layer2.0.bn2.bias 128
layer2.0.bn2.running_mean 128
layer2.0.bn2.running_var 128
layer2.0.bn2.num_batches_tracked -
layer2.0.downsample.0.weight 128,64,1,1
layer2.0.downsample.1.weight 128
layer2.0.downsample.1.bias 128
layer2.0.downsample.1.running_mean 128
layer2.0.downsample.1.running_var 128
layer2.0.downsample.1.num_batches_tracked -
layer2.1.conv1.weight 128,128,3,3
layer2.1.bn1.weight 128
layer2.1.bn1.bias 128
layer2.1.bn1.running_mean 128
layer2.1.bn1.running_var 128
layer2.1.bn1.num_batches_tracked -
layer2.1.conv2.weight 128,128,3,3
layer2.1.bn2.weight 128
layer2.1.bn2.bias 128
layer2.1.bn2.running_mean 128
layer2.1.bn2.running_var 128
layer2.1.bn2.num_batches_tracked -
layer3.0.conv1.weight 256,128,3,3
layer3.0.bn1.weight 256
layer3.0.bn1.bias 256
layer3.0.bn1.running_mean 256
layer3.0.bn1.running_var 256
layer3.0.bn1.num_batches_tracked -
layer3.0.conv2.weight 256,256,3,3
layer3.0.bn2.weight 256
layer3.0.bn2.bias 256
layer3.0.bn2.running_mean 256
layer3.0.bn2.running_var 256
layer3.0.bn2.num_batches_tracked -
layer3.0.downsample.0.weight 256,128,1,1
layer3.0.downsample.1.weight 256
layer3.0.downsample.1.bias 256
layer3.0.downsample.1.running_mean 256
layer3.0.downsample.1.running_var 256
layer3.0.downsample.1.num_batches_tracked -
layer3.1.conv1.weight 256,256,3,3
layer3.1.bn1.weight 256
layer3.1.bn1.bias 256
layer3.1.bn1.running_mean 256
layer3.1.bn1.running_var 256
layer3.1.bn1.num_batches_tracked -
layer3.1.conv2.weight 256,256,3,3
layer3.1.bn2.weight 256
layer3.1.bn2.bias 256
layer3.1.bn2.running_mean 256
layer3.1.bn2.running_var 256
layer3.1.bn2.num_batches_tracked -
layer4.0.conv1.weight 512,256,3,3
layer4.0.bn1.weight 512
layer4.0.bn1.bias 512
layer4.0.bn1.running_mean 512
layer4.0.bn1.running_var 512
layer4.0.bn1.num_batches_tracked -
layer4.0.conv2.weight 512,512,3,3
layer4.0.bn2.weight 512
layer4.0.bn2.bias 512
layer4.0.bn2.running_mean 512
layer4.0.bn2.running_var 512
layer4.0.bn2.num_batches_tracked -
layer4.0.downsample.0.weight 512,256,1,1
layer4.0.downsample.1.weight 512
layer4.0.downsample.1.bias 512
layer4.0.downsample.1.running_mean 512
layer4.0.downsample.1.running_var 512
layer4.0.downsample.1.num_batches_tracked -
layer4.1.conv1.weight 512,512,3,3
layer4.1.bn1.weight 512
layer4.1.bn1.bias 512
layer4.1.bn1.running_mean 512
layer4.1.bn1.running_var 512
layer4.1.bn1.num_batches_tracked -
layer4.1.conv2.weight 512,512,3,3
layer4.1.bn2.weight 512
layer4.1.bn2.bias 512
layer4.1.bn2.running_mean 512
layer4.1.bn2.running_var 512
layer4.1.bn2.num_batches_tracked -
fc.weight 1000,512
fc.bias 1000
""";

    internal static List<(string key, long[] shape)> ParseKeys(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Select(p => (p[0], p[1] == "-" ? Array.Empty<long>() : p[1].Split(',').Select(long.Parse).ToArray()))
            .ToList();

    [Fact]
    public void A_torchvision_resnet18_state_dict_loads_into_our_resnet18_with_no_missing_or_unexpected_keys()
    {
        var expected = ParseKeys(ResNet18Keys);
        Assert.Equal(122, expected.Count);
        Assert.Equal(122, expected.Select(e => e.key).Distinct().Count());

        using var scope = torch.NewDisposeScope();
        // What torch.save(resnet18().state_dict()) holds, made here: every entry a distinct value.
        var stateDict = new Dictionary<string, Tensor>();
        for (int i = 0; i < expected.Count; i++)
        {
            var (key, shape) = expected[i];
            stateDict[key] = key.EndsWith("num_batches_tracked", StringComparison.Ordinal)
                ? torch.full(shape, i, ScalarType.Int64)
                : torch.full(shape, i * 0.001, ScalarType.Float32);
        }

        using var net = new ResNet(ResNetSpec.ResNet18());
        var result = net.load_state_dict(stateDict);
        Assert.Empty(result.missing_keys);
        Assert.Empty(result.unexpected_keys);

        // Same names in the same order, and the values landed where their names say.
        var ours = net.state_dict();
        Assert.Equal(expected.Select(e => e.key), ours.Keys);
        for (int i = 0; i < expected.Count; i++)
        {
            var (key, shape) = expected[i];
            Assert.Equal(shape, ours[key].shape);
            Assert.True(ours[key].equal(stateDict[key]), key);
        }
        Assert.Equal(ScalarType.Int64, ours["layer3.0.downsample.1.num_batches_tracked"].dtype);
    }

    [Fact]
    public void Our_resnet50_has_torchvisions_320_keys_with_bottleneck_names_and_shapes()
    {
        using var scope = torch.NewDisposeScope();
        using var net = new ResNet(ResNetSpec.ResNet50());
        var state = net.state_dict();
        // 53 convolutions (stem, 16 bottlenecks × 3, 4 downsamples), 53 BNs × 5 entries, fc weight and bias.
        Assert.Equal(320, state.Count);
        var spots = new (string key, long[] shape)[]
        {
            ("conv1.weight", [64, 3, 7, 7]),
            ("layer1.0.conv1.weight", [64, 64, 1, 1]),
            ("layer1.0.conv3.weight", [256, 64, 1, 1]),
            ("layer1.0.downsample.0.weight", [256, 64, 1, 1]),
            ("layer2.0.conv2.weight", [128, 128, 3, 3]),
            ("layer2.0.downsample.0.weight", [512, 256, 1, 1]),
            ("layer3.5.conv2.weight", [256, 256, 3, 3]),
            ("layer4.2.bn3.running_var", [2048]),
            ("layer4.2.bn3.num_batches_tracked", []),
            ("fc.weight", [1000, 2048]),
            ("fc.bias", [1000]),
        };
        foreach (var (key, shape) in spots)
        {
            Assert.True(state.ContainsKey(key), key);
            Assert.Equal(shape, state[key].shape);
        }
        Assert.DoesNotContain("layer1.1.downsample.0.weight", state.Keys);
        Assert.Equal("layer4.2.bn3.num_batches_tracked", state.Keys.Reverse().Skip(2).First());
    }

    [Fact]
    public void Macs_per_image_match_torchvisions_published_figures()
    {
        // torchvision's model cards: ResNet-18 1.81 GFLOPS, ResNet-50 4.09 GFLOPS (multiply-accumulates) at 224×224.
        Assert.InRange(ResNetSpec.ResNet18().MacsPerImage(224, 224) / 1e9, 1.80, 1.83);
        Assert.InRange(ResNetSpec.ResNet50().MacsPerImage(224, 224) / 1e9, 4.07, 4.13);
    }

    [Fact]
    public void The_edge_network_has_at_most_300k_parameters_and_the_foundation_at_least_4x_its_macs()
    {
        using var edge = new ResNet(ResNetSpec.Edge);
        using var foundation = new ResNet(ResNetSpec.Foundation);
        Assert.True(edge.ParameterCount() <= 300_000, $"edge has {edge.ParameterCount()} parameters");
        long edgeMacs = ResNetSpec.Edge.MacsPerImage(), foundationMacs = ResNetSpec.Foundation.MacsPerImage();
        Assert.True(foundationMacs >= 4 * edgeMacs, $"foundation {foundationMacs} MACs vs edge {edgeMacs}");
        Assert.True(foundation.ParameterCount() > edge.ParameterCount());
        // Both use BatchNorm (what CEMA adapts).
        Assert.NotEmpty(edge.NormLayers());
        Assert.NotEmpty(foundation.NormLayers());
    }

    [Fact]
    public void Parameter_count_matches_torchvisions_resnet18()
    {
        using var net = new ResNet(ResNetSpec.ResNet18());
        Assert.Equal(11_689_512, net.ParameterCount());
    }
}
