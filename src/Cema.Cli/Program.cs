using System.CommandLine;
using Cema.Actors.Configuration;
using Cema.Cli;
using Cema.Cli.Commands;
using Cema.Cli.Demo;

// --config FILE and --set key=value apply to every verb: take them off before the verbs parse,
// load the configuration once (a bad key fails here, before any work) and apply cema.torch.
try
{
    CliSettings.Arguments = DemoCommand.WithDefaultConfig(ConfigArguments.Parse(args), CliSettings.FindRoot());
    CliSettings.Current.ApplyThreads();
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
    TrainCommand.Create(),
    EvalCommand.Create(),
    DemoCommand.Create(),
    ClusterCommands.Cloud(),
    ClusterCommands.Edge(),
    ClusterCommands.Broker(),
    TuneCommand.Create(),
};
return root.Parse(CliSettings.Arguments.Remaining.ToArray()).Invoke();
