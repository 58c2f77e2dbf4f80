using System.CommandLine;
using System.Reflection;
using Cema.Torch;

namespace Cema.Cli.Commands;

/// <summary><c>cema version</c>: the versions of the project, .NET and LibTorch, and LibTorch's threading.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the versions of CEMA Actors, .NET and LibTorch.");
        command.SetAction(_ =>
        {
            var project = typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.WriteLine($"cema     {project.Split('+')[0]}");
            Console.WriteLine($".NET     {Environment.Version}");
            Console.WriteLine($"LibTorch {torch.version}");
            Console.WriteLine($"threads  {torch.get_num_threads()} (cema.torch.threads)");
            return 0;
        });
        return command;
    }
}
