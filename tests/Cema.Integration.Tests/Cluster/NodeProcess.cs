using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Cema.Integration.Tests.Cluster;

/// <summary>
/// A real <c>cema</c> process (the built cema.dll under dotnet, with the environment ./cema sets), its stdout
/// and stderr kept as lines to wait on. Stop sends SIGTERM (the node leaves the cluster); Suspend and Resume
/// send SIGSTOP and SIGCONT; dispose kills what is still running.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly string name;
    private StreamWriter? log;

    private NodeProcess(string name, Process process)
    {
        this.name = name;
        this.process = process;
    }

    public static string Root { get; } = FindRoot();

    /// <summary>The configuration the tests were built in (Release under ./test).</summary>
    public static string Configuration { get; } = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar).Reverse().Skip(2).First();

    public static string CemaDll => Path.Combine(Root, "src", "Cema.Cli", "bin", Configuration, "net10.0", "cema.dll");

    public IReadOnlyList<string> Lines => lines.ToArray();

    public int Id => process.Id;

    public static NodeProcess Start(string name, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root };
        start.ArgumentList.Add(CemaDll);
        foreach (var a in args) start.ArgumentList.Add(a);
        // What ./cema sets (see the script): heap-kept LibTorch blocks, passive OpenMP waits.
        start.Environment["MALLOC_MMAP_THRESHOLD_"] = "268435456";
        start.Environment["MALLOC_TRIM_THRESHOLD_"] = "536870912";
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet " + CemaDll);
        var node = new NodeProcess(name, process);
        // Every line also goes to out/test-logs/NAME-PID.log: xunit does not show a passing test's output.
        string logs = Path.Combine(Root, "out", "test-logs");
        Directory.CreateDirectory(logs);
        node.log = new StreamWriter(Path.Combine(logs, $"{name}-{process.Id}.log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => node.Add(e.Data);
        process.ErrorDataReceived += (_, e) => node.Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return node;
    }

    private void Add(string? line)
    {
        if (line is null) return;
        lines.Enqueue(line);
        lock (lines) log?.WriteLine(line);
    }

    /// <summary>The <paramref name="skip"/>-th line (from the start) matching <paramref name="pattern"/>, waiting up to <paramref name="timeout"/>.</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan timeout, int skip = 0)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow + timeout;
        Match? Find() => Lines.Select(l => regex.Match(l)).Where(m => m.Success).Skip(skip).FirstOrDefault();
        while (true)
        {
            if (Find() is { } match) return match;
            if (process.HasExited)
            {
                await Task.Delay(500); // the last lines may still be draining
                if (Find() is { } late) return late;
                throw new InvalidOperationException($"{name} exited (code {process.ExitCode}) without printing a line matching /{pattern}/; last lines:\n{Tail()}");
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} printed no line matching /{pattern}/ within {timeout.TotalSeconds:0}s; last lines:\n{Tail()}");
            await Task.Delay(100);
        }
    }

    public IReadOnlyList<Match> All(string pattern)
    {
        var regex = new Regex(pattern);
        return Lines.Select(l => regex.Match(l)).Where(m => m.Success).ToArray();
    }

    public string Tail(int count = 30) => string.Join("\n", Lines.TakeLast(count));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cts.Token);
        return process.ExitCode;
    }

    /// <summary>SIGTERM: the node leaves the cluster and exits.</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!process.HasExited) Signal(15);
        return await WaitForExitAsync(timeout ?? TimeSpan.FromSeconds(60));
    }

    public void Suspend() => Signal(19);

    public void Resume() => Signal(18);

    private void Signal(int signal)
    {
        if (kill(process.Id, signal) != 0) throw new InvalidOperationException($"kill({process.Id}, {signal}) failed: errno {Marshal.GetLastWin32Error()}");
    }

    private bool disposed;

    public async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true); // SIGKILL: ends a suspended process too
            await process.WaitForExitAsync();
        }
        process.Dispose();
        lock (lines) log?.Dispose();
        log = null;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "hocon", "reference.conf"))) return dir.FullName;
        throw new DirectoryNotFoundException("no hocon/reference.conf above " + AppContext.BaseDirectory);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
