using Cema.Actors.Cloud;
using Cema.Actors.Configuration;
using Cema.Actors.Edge;
using Cema.Actors.Tests.TestKit;
using Cema.Models.Adaptation;

namespace Cema.Actors.Tests.Cloud;

/// <summary>hocon/demo.conf, cloud.conf and edge.conf load over reference.conf without a warning and change what they say.</summary>
public sealed class RoleConfigFilesTests
{
    private static ConfigLoadResult Load(string file) => ConfigLoader.Load(new ConfigLoadOptions
    {
        ReferenceFile = ReferenceConfig.File,
        UserFile = Path.Combine(Path.GetDirectoryName(ReferenceConfig.File)!, file),
        Environment = new Dictionary<string, string>(),
    });

    [Theory]
    [InlineData("demo.conf")]
    [InlineData("cloud.conf")]
    [InlineData("edge.conf")]
    public void Loads_over_reference_conf_with_no_unknown_key(string file) => Assert.Empty(Load(file).Warnings);

    [Fact]
    public void Each_file_changes_its_roles_settings()
    {
        var demo = Load("demo.conf").Config;
        Assert.False(CloudCoordinatorSettings.FromConfig(demo).SessionPerGroup);
        var edge = EdgeSettings.FromConfig(demo, "e", "e");
        Assert.Equal((2, true), (edge.UpdateDelay, edge.MeasureSource));

        Assert.Equal(NormParamsEncoding.Fp16Delta, CloudCoordinatorSettings.FromConfig(Load("cloud.conf").Config).Encoding);

        var device = Load("edge.conf").Config;
        Assert.Equal(1, device.GetInt("cema.torch.threads"));
        Assert.Equal(0, EdgeSettings.FromConfig(device, "e", "g").UpdateDelay);
        Assert.NotEqual(1, ReferenceConfig.Value.GetInt("cema.torch.threads"));
    }
}
