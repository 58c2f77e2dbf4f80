using System.CommandLine;
using Cema.Actors.Configuration;
using Cema.Cli;
using Cema.Cli.Commands;

Config config;
try
{
    (config, args) = CliConfiguration.Load(args);
    CliConfiguration.ApplyTorchSettings(config);
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"cema: configuration error: {e.Message}");
    return 2;
}

var root = new RootCommand("CEMA Actors: cloud-edge elastic model adaptation (Chen et al., ICLR 2024) on LibTorch.\n" +
    "Every verb also takes --config FILE (HOCON) and --set key=value; defaults: hocon/reference.conf.")
{
    VersionCommand.Create(),
    GalleryCommand.Create(),
    BenchCommand.Create(),
};
return root.Parse(args).Invoke();
