using System.CommandLine;
using System.Runtime.InteropServices;
using Cema.Actors.Cluster;
using Cema.Actors.Configuration;
using Cema.Host.Cloud;
using Cema.Host.Edge;
using Cema.Models.Data;

namespace Cema.Cli.Commands;

/// <summary>
/// <c>cema cloud</c>, <c>cema edge</c> and <c>cema broker</c>: the processes of a cluster over RabbitMQ
/// (README "Run a cluster"). Each runs until its work is done or it is stopped with Ctrl-C / SIGTERM, on
/// which it leaves the cluster cleanly.
/// </summary>
internal static class ClusterCommands
{
    public static Command Cloud()
    {
        var broker = BrokerOption();
        var role = new Option<string>("--role") { Description = "all (coordinator + distillers: the seed), coordinator, or distiller (adds a pool to the distill queue).", DefaultValueFactory = _ => "all" };
        role.AcceptOnlyFromAmong("all", "coordinator", "distiller");
        var distillers = new Option<int?>("--distillers") { Description = "Distillers in this process (default cema.cloud.distillers.pool-size)." };
        var node = new Option<string?>("--node") { Description = "This node's id (default: cloud, or distiller-PID for --role distiller)." };
        var command = new Command("cloud", "A cloud node of the cluster: the seed (coordinator, replay, distillers) or an extra distiller pool.") { broker, role, distillers, node };
        command.SetAction(parse => RunNode(stop =>
        {
            var settings = CliSettings.Current;
            var cluster = Cluster(settings.Config, parse.GetValue(broker));
            var cloudRole = Enum.Parse<CloudRole>(parse.GetValue(role)!, ignoreCase: true);
            int pool = parse.GetValue(distillers) ?? settings.Config.GetInt("cema.cloud.distillers.pool-size");
            if (pool < 1) throw new ArgumentException($"--distillers must be at least 1, got {pool}");
            string id = parse.GetValue(node) ?? (cloudRole == CloudRole.Distiller ? $"distiller-{Environment.ProcessId}" : "cloud");
            return CloudNode.RunAsync(settings.Config, cluster, new CloudNodeOptions(id, cloudRole, pool, settings.ModelsDirectory), Console.Out, stop);
        }));
        return command;
    }

    public static Command Edge()
    {
        var broker = BrokerOption();
        var id = new Option<string>("--id") { Description = "The edge's id (letters, digits, '-', '_').", Required = true };
        var group = new Option<string?>("--group") { Description = "Its parameter group (default: its id, a session of its own)." };
        var stream = new Option<string?>("--stream") { Description = "corruption:severity segments, comma-separated (default cema.cluster.edge.stream)." };
        var frames = new Option<int?>("--frames") { Description = "Test images per segment (default cema.cluster.edge.frames-per-segment)." };
        var rate = new Option<double?>("--rate") { Description = "Frames per second; 0 unpaced (default cema.cluster.edge.frames-per-second)." };
        var seed = new Option<ulong?>("--seed") { Description = "Corruption and order seed (default cema.cluster.edge.seed)." };
        var linger = new Option<bool>("--linger") { Description = "Stay a member after the stream ends, until Ctrl-C." };
        var report = new Option<string?>("--report") { Description = "JSON summary file (default out/cluster/edge-ID.json)." };
        var command = new Command("edge", "An edge node: classifies a Fashion-MNIST-C stream forward only, uploads selected frames, applies the cloud's updates.")
        {
            broker, id, group, stream, frames, rate, seed, linger, report,
        };
        command.SetAction(parse => RunNode(stop =>
        {
            var settings = CliSettings.Current;
            var config = settings.Config;
            var cluster = Cluster(config, parse.GetValue(broker));
            var edge = config.GetConfig("cema.cluster.edge");
            string edgeId = parse.GetValue(id)!;
            var options = new EdgeNodeOptions(
                edgeId,
                parse.GetValue(group) ?? edgeId,
                Segments(parse.GetValue(stream) ?? edge.GetString("stream")),
                parse.GetValue(frames) ?? edge.GetInt("frames-per-segment"),
                edge.GetInt("batch-size"),
                parse.GetValue(rate) ?? edge.GetDouble("frames-per-second"),
                parse.GetValue(seed) ?? edge.GetSeed("seed"),
                parse.GetValue(linger),
                settings.ModelsDirectory,
                settings.DataDirectory,
                parse.GetValue(report) ?? settings.FromRoot($"out/cluster/edge-{edgeId}.json"));
            return EdgeNode.RunAsync(config, cluster, options, Console.Out, stop);
        }));
        return command;
    }

    public static Command Broker()
    {
        var port = new Option<int>("--port") { Description = "AMQP port on 127.0.0.1.", DefaultValueFactory = _ => 5672 };
        var dir = new Option<string>("--dir") { Description = "Its database and logs (kept across runs).", DefaultValueFactory = _ => "out/broker" };
        var command = new Command("broker", "A private RabbitMQ on 127.0.0.1 (Debian's rabbitmq-server, own node name, ports and data), until Ctrl-C.") { port, dir };
        command.SetAction(parse => Run(async stop =>
        {
            await using var broker = await LoopbackBroker.StartAsync(CliSettings.Current.FromRoot(parse.GetValue(dir)!), parse.GetValue(port), Console.Out, cancellationToken: stop);
            Console.WriteLine($"broker: {broker.Uri} (pass it as --broker, or it is the default when the port is 5672); Ctrl-C stops it");
            try
            {
                await Task.Delay(Timeout.Infinite, stop);
            }
            catch (OperationCanceledException)
            {
            }
            await broker.StopAsync();
            return 0;
        }));
        return command;
    }

    private static IReadOnlyList<ShiftSegment> Segments(string text)
    {
        try
        {
            return ShiftSegment.ParseList(text);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{EdgeNodeOptions.StreamOption}: {e.Message}", e);
        }
    }

    private static Option<string?> BrokerOption() => new("--broker") { Description = "RabbitMQ URI (default cema.cluster.broker)." };

    private static ClusterSettings Cluster(Config config, string? broker)
    {
        var cluster = ClusterSettings.FromConfig(config);
        if (broker is null) return cluster;
        if (!Uri.TryCreate(broker, UriKind.Absolute, out var uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
            throw new ArgumentException($"--broker must be an amqp:// URI, got \"{broker}\"");
        return cluster with { Broker = uri };
    }

    /// <summary>
    /// Runs a cloud or edge node and ends the process with <c>_exit</c> once it has shut down (actors stopped,
    /// consumers cancelled, broker connection closed, output flushed). Several threads of a node drive LibTorch,
    /// each with its own OpenMP team, and those teams race LibTorch's static destructors when a process exits
    /// normally: seen as SIGSEGV (exit code 139) after a clean shutdown, about one exit in three on a busy machine.
    /// Nothing is left for those destructors to do.
    /// </summary>
    private static int RunNode(Func<CancellationToken, Task<int>> body)
    {
        int code = Run(body);
        Console.Out.Flush();
        Console.Error.Flush();
        _exit(code);
        return code;
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void _exit(int status);

    // Ctrl-C and SIGTERM stop the node cleanly (it leaves the cluster); a second Ctrl-C is the default hard stop.
    private static int Run(Func<CancellationToken, Task<int>> body)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (stop.IsCancellationRequested) return;
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return body(stop.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is ConfigException or ArgumentException or FormatException or IOException or Cema.Actors.Cluster.Transport.TransportException or InvalidOperationException or TimeoutException)
        {
            Console.Error.WriteLine($"cema: {e.Message}");
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
