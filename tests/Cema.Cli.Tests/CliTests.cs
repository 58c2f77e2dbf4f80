using System.Diagnostics;

namespace Cema.Cli.Tests;

/// <summary>Runs the built CLI as a real process, as a user would.</summary>
public class CliTests
{
    internal static (int exitCode, string stdout, string stderr) RunCema(params string[] args) => RunCema(new Dictionary<string, string>(), args);

    internal static (int exitCode, string stdout, string stderr) RunCema(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "cema.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    [Fact]
    public void Version_prints_project_dotnet_and_libtorch_versions()
    {
        var (code, stdout, _) = RunCema("version");
        Assert.Equal(0, code);
        Assert.Contains("LibTorch 1.13", stdout);
        Assert.Contains(".NET     10.", stdout);
        Assert.Matches(@"cema\s+\d+\.\d+\.\d+", stdout);
    }

    [Fact]
    public void Unknown_verb_fails_with_a_message()
    {
        var (code, _, stderr) = RunCema("no-such-verb");
        Assert.NotEqual(0, code);
        Assert.Contains("no-such-verb", stderr);
    }
}
