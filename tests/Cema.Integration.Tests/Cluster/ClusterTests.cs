using System.Globalization;
using System.Text.Json;
using Cema.Actors.Cluster.Transport;
using Cema.Actors.Cluster.Wire;
using Cema.Host.Edge;
using Cema.Integration.Tests.Transport;
using Cema.Models.Networks;

namespace Cema.Integration.Tests.Cluster;

/// <summary>
/// Real processes (./cema cloud, ./cema edge) on loopback around the collection's private RabbitMQ. Each test
/// runs its own cluster (its own cema.cluster.name, so its own queues). No timing is asserted: waits are
/// generous bounds for a busy two-core machine, and what is checked is what happened.
/// </summary>
[Collection("broker")]
public sealed class ClusterTests(BrokerFixture broker)
{
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan Work = TimeSpan.FromMinutes(6);

    /// <summary>The foundation model once models/ has one; the edge model stands in for it until then.</summary>
    private static string Foundation { get; } =
        ModelStore.ReadManifest(Path.Combine(NodeProcess.Root, "models")).ContainsKey("foundation") ? "foundation" : "edge";

    private string[] Common(string cluster, params string[] more) =>
    [
        "--broker", broker.Uri.ToString(),
        "--set", $"cema.cluster.name={cluster}",
        "--set", $"cema.cluster.foundation-model={Foundation}",
        "--set", "cema.cluster.status-interval=3s",
        .. more,
    ];

    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    [Fact]
    public async Task ThreeEdgesOnDifferentStreamsReceiveUpdatesAndBeatSourceWhileASecondDistillerProcessSharesTheJobs()
    {
        string cluster = "three-" + Guid.NewGuid().ToString("N")[..6];
        string reports = Path.Combine(Path.GetTempPath(), cluster);
        await using var cloud = NodeProcess.Start("cloud", ["cloud", "--distillers", "1", .. Common(cluster)]);
        await cloud.WaitForAsync("cloud: up in", StartUp);
        // The second distiller process adds its pool to the same distill-jobs queue.
        await using var second = NodeProcess.Start("d2", ["cloud", "--role", "distiller", "--distillers", "1", "--node", "d2", .. Common(cluster)]);
        await second.WaitForAsync("d2: joined the cluster", StartUp);

        (string Id, string Stream)[] streams = [("e1", "shot_noise:5"), ("e2", "impulse_noise:3"), ("e3", "glass_blur:3")];
        var edges = new List<NodeProcess>();
        try
        {
            foreach (var (id, stream) in streams)
                edges.Add(NodeProcess.Start(id, ["edge", "--id", id, "--stream", stream, "--frames", "3000", "--rate", "150",
                    "--report", Path.Combine(reports, id + ".json"), .. Common(cluster)]));
            var tightEdge = NodeProcess.Start("tight", ["edge", "--id", "tight", "--stream", "shot_noise:3", "--frames", "640", "--rate", "150",
                "--report", Path.Combine(reports, "tight.json"), .. Common(cluster, "--set", "cema.cluster.limits.upload=700B")]);
            edges.Add(tightEdge);

            for (int i = 0; i < streams.Length; i++)
            {
                var done = await edges[i].WaitForAsync(@"done: (\d+) frames, accuracy ([\d.]+)%, source ([\d.]+)% on the same frames, version (\d+), updates applied (\d+)", Work);
                double accuracy = Number(done.Groups[2].Value), source = Number(done.Groups[3].Value);
                Assert.True(int.Parse(done.Groups[5].Value, CultureInfo.InvariantCulture) >= 2, $"{streams[i].Id} applied fewer than two updates: {done.Value}");
                Assert.True(accuracy > source, $"{streams[i].Id} on {streams[i].Stream}: online accuracy {accuracy}% is not above its Source accuracy {source}%");

                var report = ReadReport(Path.Combine(reports, streams[i].Id + ".json"));
                Assert.Equal((streams[i].Stream, 3000L), (report.Stream, report.Frames));
                Assert.True(report.Accuracy > report.SourceAccuracy);
                AssertNoUploadLost(report);
                Assert.Equal(0, await edges[i].WaitForExitAsync(StartUp));
                await cloud.WaitForAsync($@"member {streams[i].Id} \(edge\) left", StartUp);
            }

            // An edge whose upload limit is below one image (784 bytes): every non-empty upload is refused at the
            // sender with the limit named; the edge goes on classifying, heartbeating and leaving as the others.
            await tightEdge.WaitForAsync(@"tight: upload of \d+ images refused: Upload message of [\d,]+ bytes exceeds the limit cema\.cluster\.limits\.upload = 700 bytes", Work);
            await tightEdge.WaitForAsync(@"tight: done: 640 frames", Work);
            var tightReport = ReadReport(Path.Combine(reports, "tight.json"));
            // One upload per frame batch (10 batches of 64): none of them reached the cloud, so the edge never got a version.
            Assert.True(tightReport.UploadsRefused >= 1 && tightReport.UploadsRefused <= 10 && tightReport.SamplesUploaded > 0, $"{tightReport}");
            Assert.Equal(0, tightReport.UploadsLost);
            Assert.Equal(0, tightReport.Version);
            Assert.Equal(0, await tightEdge.WaitForExitAsync(StartUp));
            await cloud.WaitForAsync(@"member tight \(edge\) left", StartUp);
            Assert.Empty(cloud.All("session tight at version"));

            foreach (var (id, _) in streams) await cloud.WaitForAsync($@"member {id} \(edge\) joined: group {id}", TimeSpan.Zero);
            await cloud.WaitForAsync(@"member d2 \(distiller\) joined", TimeSpan.Zero);
            // Distill steps ran on both processes, and the coordinator stored results of both.
            Assert.NotEmpty(cloud.All(@"cloud: step \d+: job"));
            Assert.NotEmpty(second.All(@"d2: step \d+: job"));
            Assert.NotEmpty(cloud.All(@"by cloud,"));
            Assert.NotEmpty(cloud.All(@"by d2,"));

            Assert.Equal(0, await second.StopAsync());
            await cloud.WaitForAsync(@"member d2 \(distiller\) left", StartUp);
            Assert.Equal(0, await cloud.StopAsync());
        }
        finally
        {
            foreach (var edge in edges) await edge.DisposeAsync();
            if (Directory.Exists(reports)) Directory.Delete(reports, recursive: true);
        }
    }

    [Fact]
    public async Task AnEdgeJoiningAfterTwentyUpdatesGetsTheLatestAtOnceAndAnEdgeThatMissedUpdatesAsksForTheLatest()
    {
        string cluster = "late-" + Guid.NewGuid().ToString("N")[..6];
        // The busy edge has to keep publishing after the late one froze: the selector pinned at session 11's
        // floor, which uploads enough of these few frames whatever reference.conf's floor is.
        string[] selector = ["--set", "cema.adapt.selector.e-min-fraction=0.16"];
        await using var cloud = NodeProcess.Start("cloud", ["cloud", .. Common(cluster)]);
        await cloud.WaitForAsync("cloud: up in", StartUp);
        // The busy edge drives group g past twenty versions, then stays a member without uploading.
        await using var busy = NodeProcess.Start("busy", ["edge", "--id", "busy", "--group", "g", "--stream", "shot_noise:3,glass_blur:3", "--frames", "4000",
            "--rate", "400", "--linger", .. Common(cluster, selector)]);
        await cloud.WaitForAsync(@"session g at version 20\b", Work);

        // The late edge: its first update is the latest version, not version 1.
        await using var late = NodeProcess.Start("late", ["edge", "--id", "late", "--group", "g", "--stream", "shot_noise:3", "--frames", "64", "--linger", .. Common(cluster, selector)]);
        var welcome = await late.WaitForAsync(@"joined the cluster \(coordinator cloud\); group g is at version (\d+)", StartUp);
        Assert.True(long.Parse(welcome.Groups[1].Value, CultureInfo.InvariantCulture) >= 20, welcome.Value);
        var first = await late.WaitForAsync(@"late: applied version (\d+) \(\w+, \d+ B\); updates applied (\d+)", StartUp);
        Assert.True(long.Parse(first.Groups[1].Value, CultureInfo.InvariantCulture) >= 20, first.Value);
        Assert.Equal("1", first.Groups[2].Value);

        // Missing updates: the late edge is frozen while group g moves on, and the updates waiting in its
        // inbox are purged, as a lost message would be.
        await using var admin = await RabbitMqTransport.ConnectAsync(RabbitMqTransportContractTests.Settings(broker.Uri, "test-admin"), new WireCodec(WireLimits.Default));
        string inbox = $"{cluster}.node.late.params";
        late.Suspend();
        var deadline = DateTime.UtcNow + Work;
        while (await admin.CountAsync(inbox) < 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "no update reached the frozen edge's inbox");
            await Task.Delay(200);
        }
        await busy.WaitForAsync(@"busy: stream done; staying a member", Work);
        // The cloud is quiet once no version is published for a while after the busy edge's last upload.
        string lastVersion = "";
        for (int quiet = 0; quiet < 8;)
        {
            await Task.Delay(1000);
            var versions = cloud.All(@"session g at version (\d+)");
            string now = versions[^1].Groups[1].Value;
            quiet = now == lastVersion ? quiet + 1 : 0;
            lastVersion = now;
        }
        long purged = await admin.PurgeAsync(inbox);
        Assert.True(purged >= 1, "nothing was waiting in the frozen edge's inbox");
        late.Resume();

        // Resumed, the edge either notices the missed update at the next coordinator heartbeat and asks for the
        // latest, or (its freeze outlasting unreachable-after) finds the coordinator silent and joins again; the
        // welcome then brings the latest version. Either way it must end up running the last version.
        var woke = await late.WaitForAsync(@"late: missed an update: runs version (\d+), the coordinator had version (\d+)|late: coordinator unreachable .*joining again", Work);
        if (woke.Groups[1].Success)
        {
            Assert.True(long.Parse(woke.Groups[1].Value, CultureInfo.InvariantCulture) < long.Parse(lastVersion, CultureInfo.InvariantCulture), woke.Value);
            await cloud.WaitForAsync($@"sent version {lastVersion} of g to late \(it asked for the latest\)", Work);
        }
        await late.WaitForAsync($@"late: applied version {lastVersion} ", Work);

        Assert.Equal(0, await late.StopAsync());
        Assert.Equal(0, await busy.StopAsync());
        await cloud.WaitForAsync(@"member late \(edge\) left", StartUp);
        Assert.Equal(0, await cloud.StopAsync());
    }

    [Fact]
    public async Task AKilledDistillerProcessLosesNoJobItsMembershipEndsAndTheEdgeKeepsGettingUpdates()
    {
        string cluster = "kill-" + Guid.NewGuid().ToString("N")[..6];
        string[] fast = ["--set", "cema.cluster.unreachable-after=3s", "--set", "cema.cluster.remove-after=3s"];
        await using var cloud = NodeProcess.Start("cloud", ["cloud", "--role", "coordinator", .. Common(cluster, fast)]);
        await cloud.WaitForAsync("cloud: up in", StartUp);
        await using var first = NodeProcess.Start("d1", ["cloud", "--role", "distiller", "--distillers", "1", "--node", "d1", .. Common(cluster, fast)]);
        await first.WaitForAsync("d1: joined the cluster", StartUp);
        string report = Path.Combine(Path.GetTempPath(), cluster + "-e1.json");
        await using var edge = NodeProcess.Start("e1", ["edge", "--id", "e1", "--stream", "shot_noise:3", "--frames", "6000", "--rate", "300",
            "--report", report, .. Common(cluster, fast)]);

        // Freeze the distiller as it finishes a step: the job it acknowledges next, or the one the broker
        // hands it meanwhile, stays unacknowledged with it. Then kill it outright.
        await first.WaitForAsync(@"d1: step 2: job", Work);
        first.Suspend();
        await Task.Delay(3000);
        await first.DisposeAsync();
        long atKill = long.Parse(cloud.All(@"session e1 at version (\d+)")[^1].Groups[1].Value, CultureInfo.InvariantCulture);

        await using var second = NodeProcess.Start("d2", ["cloud", "--role", "distiller", "--distillers", "1", "--node", "d2", .. Common(cluster, fast)]);
        await second.WaitForAsync(@"d2: job \d+ of session e1 was delivered before and not acknowledged", Work);
        await cloud.WaitForAsync($@"session e1 at version {atKill + 1} \(job \d+ by d2", Work);
        await cloud.WaitForAsync(@"member d1 \(distiller\) unreachable", Work);
        await cloud.WaitForAsync(@"member d1 \(distiller\) removed", Work);

        var done = await edge.WaitForAsync(@"done: \d+ frames, accuracy ([\d.]+)%, source ([\d.]+)% on the same frames, version (\d+)", Work);
        Assert.True(long.Parse(done.Groups[3].Value, CultureInfo.InvariantCulture) > atKill, done.Value);
        Assert.Empty(cloud.All("sending it again")); // the broker redelivered the job; the coordinator's job timeout never fired
        AssertNoUploadLost(ReadReport(report));
        File.Delete(report);

        Assert.Equal(0, await second.StopAsync());
        Assert.Equal(0, await cloud.StopAsync());
    }

    [Fact]
    public async Task AnEdgeKeepsTakingUpdatesFromACoordinatorKilledAndStartedAgain()
    {
        string cluster = "restart-" + Guid.NewGuid().ToString("N")[..6];
        var cloud = NodeProcess.Start("cloud", ["cloud", "--distillers", "1", .. Common(cluster)]);
        string report = Path.Combine(Path.GetTempPath(), cluster + "-e1.json");
        await using var edge = NodeProcess.Start("e1", ["edge", "--id", "e1", "--stream", "shot_noise:3", "--frames", "9000", "--rate", "150",
            "--report", report, .. Common(cluster)]);
        try
        {
            await cloud.WaitForAsync("cloud: up in", StartUp);
            await edge.WaitForAsync(@"e1: applied version 3\b", Work);
        }
        finally
        {
            await cloud.DisposeAsync(); // SIGKILL: the sessions, replay buffers and versions die with it
        }
        long atKill = long.Parse(edge.All(@"e1: applied version (\d+)")[^1].Groups[1].Value, CultureInfo.InvariantCulture);

        // The new coordinator starts its session at version 0; the edge's uploads say it runs atKill, so the
        // first update it publishes is numbered past that and the edge applies it.
        await using var again = NodeProcess.Start("cloud2", ["cloud", "--distillers", "1", .. Common(cluster)]);
        await again.WaitForAsync("cloud: up in", StartUp);
        var applied = await edge.WaitForAsync($@"e1: applied version (\d+)", Work, skip: edge.All(@"e1: applied version").Count);
        Assert.True(long.Parse(applied.Groups[1].Value, CultureInfo.InvariantCulture) > atKill, applied.Value);
        Assert.NotEmpty(again.All($@"session e1 at version {atKill + 1}\b"));

        var done = await edge.WaitForAsync(@"done: \d+ frames, accuracy ([\d.]+)%, source ([\d.]+)% on the same frames, version (\d+)", Work);
        Assert.True(long.Parse(done.Groups[3].Value, CultureInfo.InvariantCulture) > atKill, done.Value);
        // Uploads sent while no coordinator ran waited in the durable queue: the broker confirmed every one.
        AssertNoUploadLost(ReadReport(report));
        File.Delete(report);
        Assert.Equal(0, await again.StopAsync());
    }

    private static EdgeNodeReport ReadReport(string path) => JsonSerializer.Deserialize<EdgeNodeReport>(File.ReadAllText(path))!;

    /// <summary>Every upload message of the edge was confirmed by the broker, none lost or refused.</summary>
    private static void AssertNoUploadLost(EdgeNodeReport report) =>
        Assert.True(report.UploadsSent >= 2 && report.UploadsLost == 0 && report.UploadsRefused == 0, $"{report}");
}
