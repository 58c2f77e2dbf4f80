using System.CommandLine;
using Cema.Cli.Commands;

var root = new RootCommand("CEMA Actors: cloud-edge elastic model adaptation (Chen et al., ICLR 2024) on LibTorch.")
{
    VersionCommand.Create(),
    GalleryCommand.Create(),
    BenchCommand.Create(),
};
return root.Parse(args).Invoke();
