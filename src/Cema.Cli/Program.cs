using System.CommandLine;
using Cema.Actors.Configuration;
using Cema.Cli;
using Cema.Cli.Commands;

// --config FILE and --set key=value apply to every verb: take them off before the verbs parse.
ConfigArguments configArguments;
try
{
    configArguments = ConfigArguments.Parse(args);
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"cema: {e.Message}");
    return 2;
}
CliSettings.Arguments = configArguments;

var root = new RootCommand("CEMA Actors: cloud-edge elastic model adaptation (Chen et al., ICLR 2024) on LibTorch.")
{
    VersionCommand.Create(),
    GalleryCommand.Create(),
    BenchCommand.Create(),
    TrainCommand.Create(),
    EvalCommand.Create(),
};
try
{
    return root.Parse(configArguments.Remaining.ToArray()).Invoke();
}
catch (ConfigException e)
{
    Console.Error.WriteLine($"cema: configuration: {e.Message}");
    return 2;
}
