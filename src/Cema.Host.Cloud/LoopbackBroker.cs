using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cema.Host.Cloud;

/// <summary>
/// A private RabbitMQ broker on 127.0.0.1, Debian's <c>rabbitmq-server</c> run as the current user with its
/// own node name, AMQP port, distribution port, epmd port, database and logs under one directory, so it
/// never meets a system broker or another test run's. <c>./cema broker</c>, the integration tests and the
/// cluster benchmark start one. <see cref="StopAsync"/> keeps the database: <see cref="StartAgainAsync"/> brings the same broker
/// back with its durable queues and persistent messages (what a broker restart in production does).
/// </summary>
public sealed class LoopbackBroker : IAsyncDisposable
{
    /// <summary>Debian's unwrapped start script (the one in /usr/sbin switches to the rabbitmq user and drops our environment).</summary>
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    private readonly Dictionary<string, string> environment;
    private readonly TextWriter? log;
    private Process? server;

    private LoopbackBroker(string directory, int port, Dictionary<string, string> environment, TextWriter? log)
    {
        Directory = directory;
        Port = port;
        this.environment = environment;
        this.log = log;
    }

    /// <summary>Where its database (mnesia/), logs (log/) and configuration live.</summary>
    public string Directory { get; }

    public int Port { get; }

    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{Port}/");

    /// <summary>Starts a broker in <paramref name="directory"/> (a new temporary one if null) on <paramref name="port"/> (a free one if null) and waits until it accepts connections.</summary>
    public static async Task<LoopbackBroker> StartAsync(string? directory = null, int? port = null, TextWriter? log = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(ServerScript))
            throw new FileNotFoundException($"{ServerScript} is missing: install Debian's rabbitmq-server (./test and scripts/bootstrap.sh do)", ServerScript);
        directory ??= Path.Combine(Path.GetTempPath(), "cema-broker-" + Guid.NewGuid().ToString("N")[..8]);
        directory = Path.GetFullPath(directory);
        foreach (var sub in new[] { "mnesia", "log", "home" }) System.IO.Directory.CreateDirectory(Path.Combine(directory, sub));
        int amqp = port ?? FreePort();
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"),
            $"listeners.tcp.default = 127.0.0.1:{amqp}\nloopback_users.guest = true\n" +
            // A test cluster holds little; do not let the disk alarm of a busy machine stop publishers.
            "disk_free_limit.absolute = 50MB\n");
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].\n");
        var environment = new Dictionary<string, string>
        {
            ["HOME"] = Path.Combine(directory, "home"), // the Erlang cookie goes here, not in the user's home
            ["RABBITMQ_NODENAME"] = $"cema-{Path.GetFileName(directory)}@localhost",
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = amqp.ToString(),
            ["RABBITMQ_DIST_PORT"] = FreePort().ToString(),
            ["ERL_EPMD_PORT"] = FreePort().ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(directory, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(directory, "log"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(directory, "rabbitmq"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(directory, "enabled_plugins"),
        };
        var broker = new LoopbackBroker(directory, amqp, environment, log);
        await broker.LaunchAsync(timeout ?? TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        return broker;
    }

    /// <summary>Starts a stopped broker again (same port, same database).</summary>
    public Task StartAgainAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        server is null ? LaunchAsync(timeout ?? TimeSpan.FromSeconds(90), cancellationToken) : Task.CompletedTask;

    private async Task LaunchAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ServerScript)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {ServerScript}");
        var output = new StreamWriter(Path.Combine(Directory, "log", "server.out"), append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        server = process;
        log?.WriteLine($"broker: starting rabbitmq-server on 127.0.0.1:{Port} in {Directory}");

        var watch = Stopwatch.StartNew();
        while (!await AcceptsAsync(Port).ConfigureAwait(false))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"rabbitmq-server exited with code {process.ExitCode} while starting; see {Path.Combine(Directory, "log")}");
            if (watch.Elapsed > timeout)
            {
                await StopAsync().ConfigureAwait(false);
                throw new TimeoutException($"rabbitmq-server did not accept connections on 127.0.0.1:{Port} within {timeout.TotalSeconds:0}s; see {Path.Combine(Directory, "log")}");
            }
            await Task.Delay(250, cancellationToken).ConfigureAwait(false);
        }
        log?.WriteLine($"broker: ready at amqp://guest:guest@127.0.0.1:{Port}/ after {watch.Elapsed.TotalSeconds:0.0}s");
    }

    /// <summary>Stops the broker (SIGTERM: the start script runs rabbitmqctl stop) and its private epmd. The directory stays.</summary>
    public async Task StopAsync()
    {
        if (server is not { } process) return;
        server = null;
        if (!process.HasExited)
        {
            _ = kill(process.Id, 15);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        await StopEpmdAsync().ConfigureAwait(false);
        log?.WriteLine("broker: stopped");
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    // Erlang starts an epmd daemon on ERL_EPMD_PORT that outlives the broker; ours is private, so end it.
    private async Task StopEpmdAsync()
    {
        var start = new ProcessStartInfo("epmd", "-kill") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        try
        {
            using var epmd = Process.Start(start);
            if (epmd is not null) await epmd.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
